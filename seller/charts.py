"""The penalty dashboard's points-per-month chart, drawn on the server (no JavaScript): its SVG
geometry, and the markup of its ticks, bars and table rows that the template places. The same
rows feed the table beside it for screen readers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import dateformat
from django.utils.formats import get_format
from django.utils.html import escape
from django.utils.safestring import mark_safe

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 36, 12, 16, 30


@dataclass(frozen=True)
class MonthBar:
    month: date
    points: int
    running_total: int
    x: float  # left edge of the bar
    width: float
    y: float  # top of the bar
    height: float
    label_x: float
    total_y: float  # the running total's point on the line


@dataclass(frozen=True)
class PointsChart:
    width: int
    height: int
    bars: list[MonthBar]
    threshold: int
    threshold_y: float
    baseline_y: float
    left: int
    right_edge: int
    ticks: list[tuple[int, float]]  # (value, y)
    line_points: str  # the running total as an SVG polyline
    total: int


def points_chart(*, period: int, points_by_month: list[dict], threshold: int) -> PointsChart:
    """Twelve months of the penalty period: the points of each month as bars, the running
    total as a line, and the restriction threshold as a dashed rule."""
    by_month = {row["month"].month: row["points"] for row in points_by_month}
    totals, running = [], 0
    for month in range(1, 13):
        running += by_month.get(month, 0)
        totals.append(running)
    top_value = max(threshold, running)
    top_value += -top_value % 4  # a round top for the axis
    plot_height = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - LEFT - RIGHT) / 12

    def y_of(value: int) -> float:
        return round(TOP + plot_height * (1 - value / top_value), 1)

    bars = []
    for month in range(1, 13):
        points = by_month.get(month, 0)
        x = LEFT + slot * (month - 1)
        bars.append(
            MonthBar(
                month=date(period, month, 1),
                points=points,
                running_total=totals[month - 1],
                x=round(x + slot * 0.2, 1),
                width=round(slot * 0.6, 1),
                y=y_of(points),
                height=round(y_of(0) - y_of(points), 1),
                label_x=round(x + slot / 2, 1),
                total_y=y_of(totals[month - 1]),
            )
        )
    step = top_value // 4
    return PointsChart(
        width=WIDTH,
        height=HEIGHT,
        bars=bars,
        threshold=threshold,
        threshold_y=y_of(threshold),
        baseline_y=y_of(0),
        left=LEFT,
        right_edge=WIDTH - RIGHT,
        ticks=[(value, y_of(value)) for value in range(0, top_value + 1, step)],
        line_points=" ".join(f"{bar.label_x},{bar.total_y}" for bar in bars),
        total=running,
    )


def chart_markup(chart: PointsChart) -> dict:
    """The chart's axis ticks, its twelve bars and the twelve rows of its table, written here
    rather than by loops in the template: some ten values a month, each looked up and
    localized there, were most of the cost of drawing the chart. The coordinates and points
    are numbers of ours, printed plainly (SVG's, not the language's); only the month names,
    in the page's words as the template's date filter writes them, are escaped."""
    ticks = [
        f'<line x1="{chart.left}" x2="{chart.right_edge}" y1="{y}" y2="{y}" class="grid-line"/>\n'
        f'<text x="{chart.left - 6}" y="{y}" class="tick" text-anchor="end" '
        f'dominant-baseline="middle">{value}</text>'
        for value, y in chart.ticks
    ]
    label_y = chart.height - 10
    year_month = get_format("YEAR_MONTH_FORMAT")
    bars, rows = [], []
    for bar in chart.bars:
        month = escape(dateformat.format(bar.month, "M"))
        bars.append(
            f'<rect x="{bar.x}" y="{bar.y}" width="{bar.width}" height="{bar.height}" '
            f'class="bar"><title>{month}: {bar.points}</title></rect>\n'
            f'<text x="{bar.label_x}" y="{label_y}" class="month" text-anchor="middle">'
            f"{bar.month.month}</text>"
        )
        rows.append(
            f'<tr{"" if bar.points else ' class="muted"'}><th scope="row">'
            f"{escape(dateformat.format(bar.month, year_month))}</th>"
            f"<td>{bar.points}</td><td>{bar.running_total}</td></tr>"
        )
    return {
        "ticks": mark_safe("\n".join(ticks)),  # noqa: S308
        "bars": mark_safe("\n".join(bars)),  # noqa: S308
        "rows": mark_safe("".join(rows)),  # noqa: S308
    }
