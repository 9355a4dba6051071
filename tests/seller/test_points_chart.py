from __future__ import annotations

from datetime import date

from seller.charts import points_chart


def test_the_chart_has_twelve_months_with_the_running_total_and_the_threshold():
    chart = points_chart(
        period=2026,
        points_by_month=[
            {"month": date(2026, 3, 1), "points": 6},
            {"month": date(2026, 6, 1), "points": 8},
        ],
        threshold=12,
    )

    assert [b.points for b in chart.bars] == [0, 0, 6, 0, 0, 8, 0, 0, 0, 0, 0, 0]
    assert [b.running_total for b in chart.bars][5:7] == [14, 14]
    assert chart.total == 14
    june = chart.bars[5]
    # The June total (14) is drawn above the threshold line (12), which is above March's (6).
    assert june.total_y < chart.threshold_y < chart.bars[2].total_y
    assert chart.bars[0].height == 0
    assert june.height > chart.bars[2].height > 0
