"""Bar charts as inline SVG, drawn here: no chart service, no JavaScript, fine on paper.

Every text goes through format_html, so labels are escaped; the chart says what it shows in
its <title> and aria-label for screen readers, and each bar has its value written on it.
Imports no models.
"""

from django.utils.html import format_html, format_html_join

WIDTH = 640
HEIGHT = 220
TOP = 24
BOTTOM = 36
LEFT = 8
RIGHT = 8


def bar_chart(bars, *, title, value_text=str, width=WIDTH, height=HEIGHT):
    """bars: [(label, value)], values >= 0. Returns SVG markup, safe to put in a page."""
    count = max(len(bars), 1)
    biggest = max((value for _label, value in bars), default=0) or 1
    plot_height = height - TOP - BOTTOM
    slot = (width - LEFT - RIGHT) / count
    bar_width = slot * 0.7
    parts = []
    for index, (label, value) in enumerate(bars):
        bar_height = plot_height * value / biggest
        x = LEFT + index * slot + (slot - bar_width) / 2
        y = TOP + plot_height - bar_height
        middle = x + bar_width / 2
        parts.append(
            format_html(
                "<g><title>{label}: {text}</title>"
                '<rect x="{x}" y="{y}" width="{w}" height="{h}" class="bar"></rect>'
                '<text x="{mid}" y="{ty}" text-anchor="middle" class="value">{text}</text>'
                '<text x="{mid}" y="{ly}" text-anchor="middle" class="label">{label}</text></g>',
                label=label,
                text=value_text(value),
                x=f"{x:.1f}",
                y=f"{y:.1f}",
                w=f"{bar_width:.1f}",
                h=f"{bar_height:.1f}",
                mid=f"{middle:.1f}",
                ty=f"{y - 6:.1f}",
                ly=f"{height - BOTTOM + 16:.1f}",
            )
        )
    axis = format_html(
        '<line x1="{x1}" y1="{y}" x2="{x2}" y2="{y}" class="axis"></line>',
        x1=LEFT,
        x2=width - RIGHT,
        y=TOP + plot_height,
    )
    summary = format_html_join(", ", "{}: {}", ((label, value_text(v)) for label, v in bars))
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="100%" '
        'role="img" aria-label="{title}. {summary}" class="chart">'
        "<title>{title}</title>{body}{axis}</svg>",
        w=width,
        h=height,
        title=title,
        summary=summary,
        body=format_html_join("", "{}", ((part,) for part in parts)),
        axis=axis,
    )
