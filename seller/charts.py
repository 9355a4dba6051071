"""The penalty dashboard's points-per-month chart, drawn on the server (no JavaScript): its SVG
geometry, which templates/seller/_points_chart.html draws. The same bars feed the table beside
it for screen readers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

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
    tick_x: int  # the right edge of the axis values
    ticks: list[tuple[int, float]]  # (value, y)
    label_y: int  # the baseline of the month numbers under the bars
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
        tick_x=LEFT - 6,
        ticks=[(value, y_of(value)) for value in range(0, top_value + 1, step)],
        label_y=HEIGHT - 10,
        line_points=" ".join(f"{bar.label_x},{bar.total_y}" for bar in bars),
        total=running,
    )
