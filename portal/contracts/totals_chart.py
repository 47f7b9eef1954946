"""Charts drawn on the server for totals across contracts, as small SVG strings (chart.py's style: a title, a
description, no script, and a table on the page with the same figures).

Measures count different units, so no chart puts two measures' quantities on one axis: `progress_chart_svg`
shows each measure's claimed and verified as a share of what was committed to date (a share has no unit), and
`years_chart_svg` one measure's quantity in its own unit, year by year.
"""

import re
from decimal import Decimal
from xml.sax.saxutils import escape

from ..questionnaire.numbers import write_number
from .chart import _nice_ceiling

__all__ = ["progress_chart_svg", "years_chart_svg"]

CLAIMED, VERIFIED, AXIS, TEXT = "#1d70b8", "#00703c", "#b1b4b6", "#0b0c0c"
LABEL_WIDTH, PLOT_WIDTH, ROW, TOP = 70, 360, 30, 44


def _slug(chart_id) -> str:
    return re.sub(r"[^a-z0-9-]", "-", str(chart_id).lower())


def _share(part: Decimal, whole: Decimal) -> Decimal | None:
    return None if whole <= 0 else part * 100 / whole


def progress_chart_svg(rows, chart_id: str, title: str) -> str:
    """`rows`: (measure code, Figures). Horizontal bars per measure: claimed and verified as % of committed to date."""
    chart_id = _slug(chart_id)
    shares = [(code, _share(f.claimed, f.committed_to_date), _share(f.verified, f.committed_to_date)) for code, f in rows]
    top = max([Decimal(100)] + [s for _, c, v in shares for s in (c, v) if s is not None])
    top = min(_nice_ceiling(top), Decimal(500))  # beyond five times the commitment, bars stop at the edge
    width, height = LABEL_WIDTH + PLOT_WIDTH + 20, TOP + ROW * max(len(rows), 1) + 24
    desc = (
        f"Bar chart of {len(rows)} measure{'s' if len(rows) != 1 else ''}: for each, what suppliers claimed and what the council verified, as a "
        "percentage of what was committed to date. The table with this chart gives the same figures in each "
        "measure's own unit."
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'style="max-width:{width * 1.5:.0f}px" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" focusable="false">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
    ]
    for index, (label, colour) in enumerate((("Claimed", CLAIMED), ("Verified", VERIFIED))):
        x = LABEL_WIDTH + index * 95
        parts.append(
            f'<rect x="{x}" y="8" width="12" height="12" fill="{colour}"/>'
            f'<text x="{x + 16}" y="18" font-size="12" fill="{TEXT}">{label}</text>'
        )
    for mark in sorted({Decimal(0), Decimal(100), top}):
        x = LABEL_WIDTH + float(mark / top) * PLOT_WIDTH
        parts.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{TOP - 6}" y2="{height - 20}" stroke="{AXIS}"/>'
            f'<text x="{x:.1f}" y="{height - 6}" font-size="11" text-anchor="middle" fill="{TEXT}">'
            f"{write_number(mark.normalize())}%</text>"
        )
    for index, (code, claimed, verified) in enumerate(shares):
        y = TOP + index * ROW
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + 14}" font-size="12" text-anchor="end" fill="{TEXT}">{escape(code)}</text>'
        )
        for offset, (name, share, colour) in enumerate((("claimed", claimed, CLAIMED), ("verified", verified, VERIFIED))):
            length = 0 if share is None else float(min(share, top) / top) * PLOT_WIDTH
            tip = f"{code}, {name}: " + ("nothing committed to date" if share is None else f"{share:.0f}% of committed to date")
            parts.append(
                f'<rect x="{LABEL_WIDTH}" y="{y + offset * 11}" width="{length:.1f}" height="10" fill="{colour}">'
                f"<title>{escape(tip)}</title></rect>"
            )
    parts.append("</svg>")
    return "".join(parts)


def years_chart_svg(rows, chart_id: str, title: str, unit: str) -> str:
    """`rows`: (year label, quantity) for one measure: vertical bars in its own unit, earliest year first."""
    chart_id = _slug(chart_id)
    top = _nice_ceiling(max([q for _, q in rows], default=Decimal(0)))
    bar, gap, left, plot = 36, 24, 70, 140
    width, height = max(left + (bar + gap) * max(len(rows), 1) + gap, 240), 20 + plot + 36
    desc = f"Bar chart in {unit} for {len(rows)} financial years, up to {write_number(top)}. The table with this chart gives the same figures."
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'style="max-width:{width * 1.5:.0f}px" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" focusable="false">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
    ]
    for fraction in (0, Decimal("0.5"), 1):
        y = 20 + plot - float(fraction) * plot
        parts.append(
            f'<line x1="{left}" x2="{width - gap}" y1="{y:.1f}" y2="{y:.1f}" stroke="{AXIS}"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end" fill="{TEXT}">'
            f"{escape(write_number((top * fraction).normalize()))}</text>"
        )
    for index, (label, quantity) in enumerate(rows):
        x = left + gap + index * (bar + gap)
        height_of = float(quantity / top) * plot
        parts.append(
            f'<rect x="{x}" y="{20 + plot - height_of:.1f}" width="{bar}" height="{height_of:.1f}" fill="{VERIFIED}">'
            f"<title>{escape(f'{label}: {write_number(quantity)} {unit}')}</title></rect>"
            f'<text x="{x + bar / 2:.0f}" y="{20 + plot + 16}" font-size="11" text-anchor="middle" fill="{TEXT}">'
            f"{escape(str(label).split(' to ')[0])}</text>"
        )
    parts.append(f'<text x="{left}" y="{height - 2}" font-size="11" fill="{TEXT}">Financial year starting</text>')
    parts.append("</svg>")
    return "".join(parts)
