"""The server-drawn bar chart names in its key only what it draws."""

from __future__ import annotations

from movilim.core.charts import Bar, BarChart
from movilim.core.templatetags.movilim import bar_chart


def test_the_key_shows_targets_only_on_a_chart_that_has_them() -> None:
    rates = BarChart(title="נוכחות", description="שיעור", bars=[Bar("מפגש", 80.0)])
    html = bar_chart(rates, chart_id="rates")
    assert "chart-key-bar" in html
    assert "chart-key-target" not in html and "chart-key-off" not in html

    shares = BarChart(
        title="הרכב",
        description="חלק",
        bars=[Bar("נשים", 40.0, target_min=45.0, target_max=55.0, on_target=False)],
    )
    html = bar_chart(shares, chart_id="shares")
    assert "chart-key-target" in html and "chart-key-off" in html
    assert 'class="chart-target"' in html
