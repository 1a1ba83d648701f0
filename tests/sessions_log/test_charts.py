from sessions_log.charts import bar_chart


def test_a_bar_chart_is_inline_svg_with_one_bar_per_value():
    svg = bar_chart([("1–2", 50), ("3–9", 300), ("10–16", 0)], title="People per week")

    assert svg.startswith("<svg")
    assert svg.count('class="bar"') == 3
    assert 'aria-label="People per week. 1–2: 50, 3–9: 300, 10–16: 0"' in svg
    # The tallest bar fills the plot; an empty week draws no height.
    assert 'height="160.0"' in svg
    assert 'height="0.0"' in svg


def test_labels_are_escaped():
    svg = bar_chart([("<script>", 1)], title='"quoted" & <b>')

    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    assert "&quot;quoted&quot; &amp; &lt;b&gt;" in svg


def test_no_bars_still_draws_an_empty_chart():
    svg = bar_chart([], title="Nothing yet")

    assert 'class="bar"' not in svg
    assert "<title>Nothing yet</title>" in svg
