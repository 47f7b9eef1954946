"""A bar chart drawn on the server: committed, claimed and verified per period, as a small SVG string.

No JavaScript. It has a title and a description, and the page puts the same figures in a table beside it
(summary.table_rows), which is the chart's text alternative; the chart itself adds nothing the table lacks.
"""

import re
from decimal import Decimal
from xml.sax.saxutils import escape

from ..questionnaire.numbers import write_number

__all__ = ["SERIES", "bar_chart_svg"]

# GOV.UK Frontend colours, each with at least 3:1 contrast against white (WCAG 1.4.11).
SERIES = (("committed", "Committed", "#505a5f"), ("claimed", "Claimed", "#1d70b8"), ("verified", "Verified", "#00703c"))
BAR, GAP, LEFT, TOP, PLOT_HEIGHT, BOTTOM = 10, 12, 70, 40, 160, 30


def _nice_ceiling(value: Decimal) -> Decimal:
    """The smallest of 1, 2, 2.5 or 5 times a power of ten that is at least `value`: a readable axis top."""
    if value <= 0:
        return Decimal(1)
    power = Decimal(10) ** (value.adjusted())
    for step in (1, 2, Decimal("2.5"), 5, 10):
        if power * step >= value:
            return power * step
    return power * 10


def bar_chart_svg(summary, chart_id: str) -> str:
    """An accessible SVG for one commitment's summary; `chart_id` makes its title and description ids unique."""
    chart_id = re.sub(r"[^a-z0-9-]", "-", str(chart_id).lower())  # it goes into attributes: a plain slug only
    code, unit = summary.commitment.measure_code, summary.unit
    figures = summary.periods
    values = [getattr(f, key) or Decimal(0) for f in figures for key, _, _ in SERIES]
    top = _nice_ceiling(max(values, default=Decimal(0)))
    group = BAR * len(SERIES) + GAP
    width = max(LEFT + group * max(len(figures), 1) + GAP, LEFT + 95 * len(SERIES))  # room for the legend
    height = TOP + PLOT_HEIGHT + BOTTOM
    title = f"{code}: committed, claimed and verified in each reporting period"
    desc = (
        f"Bar chart in {unit} for {len(figures)} reporting periods, up to {write_number(top)}. "
        "The table with this chart gives the same figures."
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'style="max-width:{width * 1.5:.0f}px" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" focusable="false">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
    ]
    for index, (_, label, colour) in enumerate(SERIES):  # the legend, across the top
        x = LEFT + index * 95
        parts.append(
            f'<rect x="{x}" y="8" width="12" height="12" fill="{colour}"/>'
            f'<text x="{x + 16}" y="18" font-size="12" fill="#0b0c0c">{label}</text>'
        )
    for fraction in (0, Decimal("0.5"), 1):  # the axis: 0, half way, the top
        y = TOP + PLOT_HEIGHT - float(fraction) * PLOT_HEIGHT
        parts.append(
            f'<line x1="{LEFT}" x2="{width - GAP}" y1="{y:.1f}" y2="{y:.1f}" stroke="#b1b4b6"/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end" fill="#0b0c0c">'
            f"{escape(write_number((top * fraction).normalize()))}</text>"
        )
    for index, figure in enumerate(figures):
        x0 = LEFT + GAP + index * group
        for offset, (key, label, colour) in enumerate(SERIES):
            value = getattr(figure, key)
            bar_height = float((value or 0) / top) * PLOT_HEIGHT
            tip = f"Period {figure.period.number}, {label.lower()}: " + ("none" if value is None else write_number(value))
            parts.append(
                f'<rect x="{x0 + offset * BAR}" y="{TOP + PLOT_HEIGHT - bar_height:.1f}" width="{BAR - 1}" '
                f'height="{bar_height:.1f}" fill="{colour}"><title>{escape(tip)}</title></rect>'
            )
        parts.append(
            f'<text x="{x0 + BAR * 1.5:.1f}" y="{TOP + PLOT_HEIGHT + 16}" font-size="11" text-anchor="middle" '
            f'fill="#0b0c0c">{figure.period.number}</text>'
        )
    parts.append(f'<text x="{LEFT}" y="{height - 2}" font-size="11" fill="#0b0c0c">Reporting period</text>')
    parts.append("</svg>")
    return "".join(parts)
