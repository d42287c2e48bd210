"""How many tickets of each kind one demo month needs: the seed's counts or scaled from them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.report.demo import profile


def apportion(total: int, weights: Mapping[str, float]) -> dict[str, int]:
    """Split `total` in proportion to `weights` (largest remainder; ties in key order)."""
    whole = sum(weights.values())
    if total <= 0 or whole <= 0:
        return {key: 0 for key in weights}
    exact = {key: total * weight / whole for key, weight in weights.items()}
    result = {key: int(value) for key, value in exact.items()}
    order = sorted(weights, key=lambda key: -(exact[key] - result[key]))
    for key in order[: total - sum(result.values())]:
        result[key] += 1
    return result


@dataclass(frozen=True)
class Targets:
    """Exact counts for one month."""

    matrix: dict[str, dict[str, int]]  # channel -> topic -> tickets
    categories: dict[str, int]
    in_hours: dict[str, int]  # zone -> identified tickets inside service hours
    out_of_hours: dict[str, int]  # zone -> identified tickets outside service hours
    unidentified: int
    night_topics: dict[str, int]  # topic group -> out-of-hours tickets
    escalated_out: int
    escalated_in: int

    @property
    def total(self) -> int:
        """All tickets of the month."""
        return sum(sum(row.values()) for row in self.matrix.values())


def _scaled(counts: Mapping[str, int], scale: int) -> dict[str, int]:
    return {key: value * scale for key, value in counts.items()}


def targets(offset: int, scale: int, flat: bool = False) -> Targets:
    """The seed month's counts times `scale` (offset 0), or other months scaled to their size.

    With `flat`, every month has the seed month's volume (for benchmarks).
    """
    if offset == 0:
        return Targets(
            {channel: _scaled(row, scale) for channel, row in profile.MATRIX.items()},
            _scaled(profile.CATEGORIES, scale),
            _scaled(profile.IN_HOURS, scale),
            _scaled(profile.OUT_OF_HOURS, scale),
            profile.UNIDENTIFIED * scale,
            _scaled(profile.NIGHT_TOPICS, scale),
            profile.ESCALATED_OUT_OF_HOURS * scale,
            profile.ESCALATED_IN_HOURS * scale,
        )
    sizes = profile.channels(0 if flat else offset)
    matrix = {
        channel: apportion(sizes.get(channel, 0) * scale, row)
        for channel, row in profile.MATRIX.items()
    }
    total = sum(sum(row.values()) for row in matrix.values())
    slots = {f"in:{z}": n for z, n in profile.IN_HOURS.items()}
    slots |= {f"out:{z}": n for z, n in profile.OUT_OF_HOURS.items()}
    slots["none"] = profile.UNIDENTIFIED
    split = apportion(total, slots)
    out = {z: split[f"out:{z}"] for z in profile.OUT_OF_HOURS}
    factor = total / sum(profile.CATEGORIES.values())
    return Targets(
        matrix,
        apportion(total, profile.CATEGORIES),
        {z: split[f"in:{z}"] for z in profile.IN_HOURS},
        out,
        split["none"],
        apportion(sum(out.values()), profile.NIGHT_TOPICS),
        round(profile.ESCALATED_OUT_OF_HOURS * factor),
        round(profile.ESCALATED_IN_HOURS * factor),
    )
