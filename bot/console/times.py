"""Times as agents read them: the console's zone (WIB unless DJPK_CONSOLE_ZONE says otherwise),
with the user's own zone beside it when it differs ("01/12/26 12.56 WIB · 13.56 WITA").

Times are stored in UTC; the browser's own zone is never used, so every agent of the contact
center reads the same clock whatever the machine is set to.
"""

from __future__ import annotations

from datetime import datetime, timezone

from bot.hours import Zone


def clock(at: datetime, zone: Zone) -> str:
    """ "12.56 WIB": the hour and minute in `zone`, the Indonesian way (a dot, 24 hours)."""
    local = _aware(at).astimezone(zone.tzinfo)
    return f"{local:%H.%M} {zone.value}"


def stamp(at: datetime, agents: Zone, user: Zone | None = None) -> str:
    """ "01/12/26 12.56 WIB", then " · 13.56 WITA" when the user lives in another zone."""
    local = _aware(at).astimezone(agents.tzinfo)
    text = f"{local:%d/%m/%y} {clock(at, agents)}"
    if user is not None and user is not agents:
        text += f" · {clock(at, user)}"
    return text


def _aware(at: datetime) -> datetime:
    return at if at.tzinfo is not None else at.replace(tzinfo=timezone.utc)
