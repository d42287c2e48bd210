"""When a user waiting for an agent can expect an answer, in their own zone (pure; clock passed in).

Inside service hours the estimate is `now + position x minutes per ticket` (an estimate: the text
says "perkiraan"); when that passes the closing of the current service hours, or when the service
is closed, it is the next opening (holidays and cuti bersama included, from bot.hours).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.hours import ServiceHours, Zone, format_moment


@dataclass(frozen=True)
class ExpectedAnswer:
    """The moment (UTC); an estimate inside hours, else the next opening (`open_now`: whether
    the service was open when asked, the queue being too long for today)."""

    at: datetime
    estimate: bool
    open_now: bool

    def describe(self, now: datetime, zone: Zone | str | None = None) -> str:
        """One sentence in the user's zone (WIB when unknown): 'Perkiraan dijawab pukul 10.40
        WITA.', 'Tiket Bapak/Ibu dijawab mulai Kamis, 08.00 WIB.' or 'Petugas kami melayani
        kembali Senin, 09.00 WITA.' (with the date when it is a week away or more)."""
        zone = Zone(zone) if zone else Zone.WIB
        local, today = self.at.astimezone(zone.tzinfo), now.astimezone(zone.tzinfo).date()
        if self.estimate:
            return f"Perkiraan dijawab pukul {local.hour:02d}.{local.minute:02d} {zone.value}."
        moment = format_moment(self.at, zone, with_date=(local.date() - today).days > 6)
        if self.open_now:
            return f"Tiket Bapak/Ibu dijawab mulai {moment}."
        return f"Petugas kami melayani kembali {moment}."


def expected_answer(
    hours: ServiceHours, now: datetime, position: int, minutes_per_ticket: float
) -> ExpectedAnswer:
    """When the ticket at `position` in the queue (1 = next) should be answered."""
    closing = hours.closing(now)
    if closing is None:
        return ExpectedAnswer(hours.next_opening(now), estimate=False, open_now=False)
    estimate = now + timedelta(minutes=max(1, position) * max(0, minutes_per_ticket))
    if estimate >= closing:
        return ExpectedAnswer(hours.next_opening(closing), estimate=False, open_now=True)
    return ExpectedAnswer(estimate.astimezone(closing.tzinfo), estimate=True, open_now=True)
