"""Service hours in WIB, Indonesian time zones, public holidays and cuti bersama."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from enum import Enum
from pathlib import Path
from typing import Any, cast

from bot.content import ContentError, read_yaml
from bot.dates import DAY_NAMES, MONTH_NAMES

_SEARCH_DAYS = 400


class HoursError(ContentError, ValueError):
    """hours.yml or holidays.yml is malformed; the message names the file."""


class Zone(str, Enum):
    """Indonesian time zones; the value is the abbreviation users see."""

    WIB = "WIB"
    WITA = "WITA"
    WIT = "WIT"

    @property
    def offset_hours(self) -> int:
        """Hours ahead of UTC."""
        return {"WIB": 7, "WITA": 8, "WIT": 9}[self.value]

    @property
    def tzinfo(self) -> timezone:
        """A fixed-offset tzinfo (Indonesia has no daylight saving time)."""
        return timezone(timedelta(hours=self.offset_hours), self.value)

    @property
    def region(self) -> str:
        """Region name used in the contact center's reports: Barat, Tengah or Timur."""
        return {"WIB": "Barat", "WITA": "Tengah", "WIT": "Timur"}[self.value]


@dataclass(frozen=True)
class Holiday:
    """One day off: a libur nasional or a cuti bersama."""

    day: date
    name: str
    kind: str  # "libur_nasional" | "cuti_bersama"


def _aware(at: datetime) -> datetime:
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("service hours need a timezone-aware datetime")
    return at


def _parse_range(text: str, path: Path) -> tuple[time, time]:
    try:
        start, end = (part.strip() for part in text.split("-"))
        begin, finish = (
            # hour[.minute[.second]]; more parts than time() takes fail as TypeError
            time(*cast("Iterator[Any]", map(int, value.replace(":", ".").split("."))))
            for value in (start, end)
        )
    except (ValueError, TypeError) as exc:
        raise HoursError(f"{path}: bad service hours range {text!r} (use 08.00-16.00)") from exc
    if finish <= begin:
        raise HoursError(f"{path}: empty service hours range: {text}")
    return begin, finish


def load_holidays(kb_dir: Path) -> tuple[dict[date, Holiday], frozenset[int], tuple[int, ...]]:
    """Holidays from lokal-id plus knowledge_base/holidays.yml; also covered and required years."""
    from lokal.holidays import HOLIDAY_YEARS, get_holidays

    days: dict[date, Holiday] = {}
    for year in HOLIDAY_YEARS:
        for item in get_holidays(year).holidays:
            day = date.fromisoformat(item.date)
            if day not in days or item.type == "libur_nasional":
                days[day] = Holiday(day, item.name, item.type)
    path = kb_dir / "holidays.yml"
    # any YAML document: one that is not a mapping fails below as AttributeError
    override: Any = (read_yaml(path, HoursError) if path.exists() else None) or {}
    years = set(HOLIDAY_YEARS)
    try:
        for entry in override.get("add") or []:
            day = date.fromisoformat(str(entry["date"]))
            kind = entry.get("type", "libur_nasional")
            if kind not in ("libur_nasional", "cuti_bersama"):
                raise HoursError(f"{path}: unknown holiday type {kind!r} on {day}")
            days[day] = Holiday(day, str(entry["name"]), kind)
            years.add(day.year)
        for value in override.get("remove") or []:
            days.pop(date.fromisoformat(str(value)), None)
        required = tuple(int(y) for y in override.get("required_years") or ())
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        if isinstance(exc, HoursError):
            raise
        raise HoursError(f"{path}: bad entry ({type(exc).__name__}: {exc})") from exc
    return days, frozenset(years), required


class ServiceHours:
    """When the contact center answers, by its own clock (WIB by default)."""

    def __init__(
        self,
        weekly: Mapping[int, Iterable[tuple[time, time]]],
        holidays: Mapping[date, Holiday] | None = None,
        zone: Zone = Zone.WIB,
        closed_on_cuti_bersama: bool = True,
        covered_years: Iterable[int] = (),
    ) -> None:
        self.weekly = {day: tuple(sorted(weekly.get(day, ()))) for day in range(7)}
        self.holidays = dict(holidays or {})
        self.zone = zone
        self.closed_on_cuti_bersama = closed_on_cuti_bersama
        self.covered_years = frozenset(covered_years)

    @classmethod
    def load(cls, kb_dir: Path) -> ServiceHours:
        """Read hours.yml and the holiday calendar from the knowledge base folder."""
        path = Path(kb_dir) / "hours.yml"
        config = read_yaml(path, HoursError) or {}
        if not isinstance(config, dict):
            raise HoursError(f"{path}:1: expected a mapping (zone, weekly, ...)")
        names = [day.lower() for day in DAY_NAMES]
        weekly: dict[int, list[tuple[time, time]]] = {}
        for name, ranges in (config.get("weekly") or {}).items():
            if str(name).lower() not in names:
                raise HoursError(f"{path}: unknown day {name!r} (use senin..minggu)")
            weekly[names.index(str(name).lower())] = [
                _parse_range(str(r), path) for r in ranges or []
            ]
        holidays, years, required = load_holidays(Path(kb_dir))
        missing = [year for year in required if year not in years]
        if missing:
            raise HoursError(
                f"{path.with_name('holidays.yml')}: holiday calendar does not cover required "
                f"years {missing}"
            )
        if config.get("zone", "WIB") not in {zone.value for zone in Zone}:
            raise HoursError(f"{path}: unknown zone {config.get('zone')!r} (use WIB, WITA, WIT)")
        return cls(
            weekly,
            holidays,
            Zone(config.get("zone", "WIB")),
            bool(config.get("closed_on_cuti_bersama", True)),
            years,
        )

    def covers(self, year: int) -> bool:
        """Whether the holiday calendar knows this year (otherwise only weekdays count)."""
        return year in self.covered_years

    def calendar_gaps(self, today: date) -> tuple[list[str], list[str]]:
        """(errors, warnings) about the holiday calendar as of `today`: this year must be known;
        from October on (the SKB 3 Menteri comes out around September) next year should be."""
        errors = [] if self.covers(today.year) else [f"no holidays for {today.year}"]
        late = today.month >= 10 and not self.covers(today.year + 1)
        return errors, [f"no holidays for {today.year + 1} yet"] if late else []

    def holiday_on(self, day: date) -> Holiday | None:
        """The holiday that closes the service on this day, if any."""
        holiday = self.holidays.get(day)
        if holiday and (holiday.kind == "libur_nasional" or self.closed_on_cuti_bersama):
            return holiday
        return None

    def _ranges(self, day: date) -> tuple[tuple[time, time], ...]:
        return () if self.holiday_on(day) else self.weekly[day.weekday()]

    def is_working_day(self, day: date) -> bool:
        """True when the service opens at some time that day."""
        return bool(self._ranges(day))

    def is_open(self, at: datetime) -> bool:
        """Whether the service is open at this moment (timezone-aware)."""
        local = _aware(at).astimezone(self.zone.tzinfo)
        now = local.time().replace(tzinfo=None)
        return any(start <= now < end for start, end in self._ranges(local.date()))

    def closing(self, at: datetime) -> datetime | None:
        """When the service hours range open at `at` ends (UTC), or None when closed."""
        local = _aware(at).astimezone(self.zone.tzinfo)
        now = local.time().replace(tzinfo=None)
        for start, end in self._ranges(local.date()):
            if start <= now < end:
                return datetime.combine(local.date(), end, tzinfo=self.zone.tzinfo).astimezone(
                    timezone.utc
                )
        return None

    def next_opening(self, at: datetime) -> datetime:
        """The first moment at or after `at` when the service is open, in UTC."""
        if self.is_open(at):
            return at.astimezone(timezone.utc)
        local = at.astimezone(self.zone.tzinfo)
        for offset in range(_SEARCH_DAYS):
            day = local.date() + timedelta(days=offset)
            for start, _end in self._ranges(day):
                candidate = datetime.combine(day, start, tzinfo=self.zone.tzinfo)
                if candidate > local:
                    return candidate.astimezone(timezone.utc)
        raise ValueError("no service hours configured in the coming year")

    def format_opening(self, at: datetime, zone: Zone | str | None = None) -> str:
        """When service opens next after `at`, in the user's zone: 'Senin, 09.00 WITA'."""
        zone = Zone(zone) if zone else self.zone
        opening = self.next_opening(at).astimezone(zone.tzinfo)
        today = _aware(at).astimezone(zone.tzinfo).date()
        return format_moment(opening, zone, with_date=(opening.date() - today).days > 6)


def format_moment(moment: datetime, zone: Zone, with_date: bool = False) -> str:
    """'Senin, 08.00 WIB', or 'Senin, 30 Maret 2026, 08.00 WIB' with the date."""
    local = _aware(moment).astimezone(zone.tzinfo)
    day = DAY_NAMES[local.weekday()]
    clock = f"{local.hour:02d}.{local.minute:02d} {zone.value}"
    if with_date:
        return f"{day}, {local.day} {MONTH_NAMES[local.month]} {local.year}, {clock}"
    return f"{day}, {clock}"
