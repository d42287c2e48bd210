"""Charts of the report as PNG bytes (matplotlib, Agg backend, imported only when drawing)."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import TYPE_CHECKING

from bot.report.figures.summary import Summary
from bot.report.formatting import number, percent, share

if TYPE_CHECKING:
    from matplotlib.axis import Axis
    from matplotlib.figure import Figure

PALETTE = ("#0b3d91", "#f2a900", "#2a9d8f", "#e76f51", "#6c757d", "#8e44ad", "#264653")
DPI = 100


def _figure(width: float, height: float, **margins: float) -> Figure:
    """A matplotlib Figure on the Agg canvas (no pyplot, no global state, no display)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), dpi=DPI)
    FigureCanvasAgg(figure)
    figure.subplots_adjust(**margins)
    return figure


def _counts(axis: Axis) -> None:
    """Integer ticks in Indonesian format (1.000) on this axis."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    axis.set_major_locator(MaxNLocator(integer=True))
    axis.set_major_formatter(FuncFormatter(lambda value, _pos: number(int(value))))


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


def channels(s: Summary) -> bytes:
    """Donut of tickets per channel."""
    items = [c for c in s.volume.channels if c.count]
    figure = _figure(7.6, 4.2, left=0.02, right=0.98, top=0.9, bottom=0.04)
    axes = figure.add_axes([0.02, 0.04, 0.5, 0.84])
    if items:
        axes.pie(
            [c.count for c in items],
            colors=PALETTE[: len(items)],
            startangle=90,
            counterclock=False,
            wedgeprops={"width": 0.42, "edgecolor": "white"},
        )
        labels = [f"{c.label}: {number(c.count)} ({percent(c.share)})" for c in items]
        axes.legend(labels, loc="center left", bbox_to_anchor=(1.0, 0.5), frameon=False)
    axes.text(0, 0, f"{number(s.volume.total)}\nTiket", ha="center", va="center", fontsize=14)
    axes.set_title(f"Jumlah Tiket Konsultasi {s.month_label}")
    axes.axis("equal")
    return _png(figure)


def trend(s: Summary) -> bytes:
    """Six months of tickets, one small bar chart per channel."""
    groups = list(s.volume.channels)
    figure = _figure(10, 5.6, left=0.05, right=0.98, top=0.86, bottom=0.07, hspace=0.4)
    grid = figure.subplots(2, 3, sharex=True)
    labels = [t.label.split()[0] for t in s.volume.trend]
    for index, (axes, group) in enumerate(zip(grid.flat, groups, strict=True)):
        values = [t.by_channel[group.key] for t in s.volume.trend]
        bars = axes.bar(labels, values, color=PALETTE[index % len(PALETTE)])
        axes.bar_label(bars, labels=[number(v) for v in values], fontsize=7)
        axes.set_title(f"Jumlah Pengguna {group.label}", fontsize=10)
        axes.tick_params(labelsize=8)
        axes.set_ylim(0, max(1, *values) * 1.2)
        _counts(axes.yaxis)
    figure.suptitle("Jumlah tiket 6 bulan terakhir per kanal")
    return _png(figure)


def topics(s: Summary) -> bytes:
    """Technical subjects and the other categories, as horizontal bars."""
    figure = _figure(11, 4.8, left=0.12, right=0.97, top=0.92, bottom=0.06, wspace=0.45)
    left, right = figure.subplots(1, 2)
    for axes, items, title, color in (
        (left, s.topics.technical, "Topik Konsultasi Teknis", PALETTE[0]),
        (right, s.topics.other, "Topik Konsultasi Lainnya", PALETTE[1]),
    ):
        ordered = list(reversed(items))
        bars = axes.barh([t.topic for t in ordered], [t.count for t in ordered], color=color)
        axes.bar_label(bars, labels=[number(t.count) for t in ordered], fontsize=8, padding=2)
        axes.set_title(title)
        axes.tick_params(labelsize=8)
        axes.margins(x=0.15)
        _counts(axes.xaxis)
    return _png(figure)


def users(s: Summary) -> bytes:
    """Pie of users by category."""
    items = [c for c in s.users if c.count]
    figure = _figure(7.6, 4.2)
    axes = figure.add_axes([0.02, 0.04, 0.5, 0.84])
    if items:
        axes.pie(
            [c.count for c in items],
            colors=PALETTE[: len(items)],
            startangle=90,
            counterclock=False,
            wedgeprops={"edgecolor": "white"},
        )
        labels = [f"{c.label}: {number(c.count)} ({percent(c.share)})" for c in items]
        axes.legend(labels, loc="center left", bbox_to_anchor=(1.0, 0.5), frameon=False)
    axes.set_title("Pengguna Layanan")
    axes.axis("equal")
    return _png(figure)


def hours(s: Summary) -> bytes:
    """Contacts inside and outside service hours, per region."""
    regions = s.hours.regions
    names = [f"{r.region} ({r.zone})" for r in regions]
    positions = range(len(regions))
    figure = _figure(7.2, 4.2, left=0.08, right=0.97, top=0.9, bottom=0.09)
    axes = figure.subplots()
    inside = [r.in_hours for r in regions]
    outside = [r.out_of_hours for r in regions]
    left = axes.bar([p - 0.2 for p in positions], inside, 0.4, color=PALETTE[0])
    right = axes.bar([p + 0.2 for p in positions], outside, 0.4, color=PALETTE[1])
    axes.bar_label(left, labels=[number(v) for v in inside], fontsize=8)
    outside_labels = [
        f"{number(r.out_of_hours)} ({percent(share(r.out_of_hours, s.hours.out_of_hours))})"
        for r in regions
    ]
    axes.bar_label(right, labels=outside_labels, fontsize=8)
    axes.set_xticks(list(positions), names)
    axes.legend(["Dalam jam layanan", "Luar jam layanan"], frameon=False)
    axes.set_title("Kontak di dalam dan luar jam layanan sesuai wilayah")
    axes.set_ylim(0, max(1, *inside, *outside) * 1.15)
    _counts(axes.yaxis)
    return _png(figure)


CHARTS: dict[str, Callable[[Summary], bytes]] = {
    "channels": channels,
    "trend": trend,
    "topics": topics,
    "users": users,
    "hours": hours,
}


def draw_all(s: Summary) -> dict[str, bytes]:
    """Every chart of the report, by key."""
    return {key: draw(s) for key, draw in CHARTS.items()}
