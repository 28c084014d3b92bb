"""The diary's last weeks as an inline SVG: no script, no external resource.

One column per day: a bar as tall as the day's strongest urge (0 to 10), blue on a day
without viewing, grey when the reader preferred not to say, dark red with a triangle under
it on a day with viewing (so the chart does not rely on colour alone); nothing on a day
without an entry. The SVG is decorative for screen readers (``aria-hidden``): the page shows
the same figures as a table, which is the text equivalent. It scales down to a 390 px phone.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from helpseekers.models import DIARY_URGE_MAX, Viewed

# Drawn large and scaled down: on a 390 px phone the text is still about 11 px high.
COLUMN, GAP = 8, 2
LEFT, TOP, PLOT_HEIGHT, BOTTOM = 44, 20, 300, 64
FONT = 24
COLOURS: dict[str, str] = {Viewed.NO: "#0b5cad", Viewed.YES: "#9a1b1b", Viewed.UNSAID: "#8a8a90"}
ZERO_BAR = 2  # an urge of 0 still shows as a sliver, so a recorded day is visible


def diary_svg(entries: Iterable[tuple[date, int, str]], *, first: date, days: int) -> SafeString:
    """Bars for the diary entries ``(day, urge, viewed)`` from ``first`` over ``days`` days,
    with the urge scale on the side and the first day of every other week under the axis."""
    width = LEFT + days * (COLUMN + GAP) + 4
    height = TOP + PLOT_HEIGHT + BOTTOM
    base = TOP + PLOT_HEIGHT
    text = f'font-size="{FONT}" fill="#1d1d1f"'
    parts = [
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" direction="ltr" aria-hidden="true" focusable="false">',
        f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{base}" stroke="#6b6b70"/>',
        f'<line x1="{LEFT}" y1="{base}" x2="{width - 2}" y2="{base}" stroke="#6b6b70"/>',
        f'<text x="{LEFT - 6}" y="{TOP + FONT - 4}" text-anchor="end" {text}>{DIARY_URGE_MAX}</text>',
        f'<text x="{LEFT - 6}" y="{base}" text-anchor="end" {text}>0</text>',
    ]
    for week in range(0, days, 14):
        x = LEFT + week * (COLUMN + GAP)
        label = escape((first + timedelta(days=week)).strftime("%m-%d"))
        parts.append(f'<line x1="{x}" y1="{base}" x2="{x}" y2="{base + 8}" stroke="#6b6b70"/>')
        parts.append(f'<text x="{x}" y="{base + 56}" {text}>{label}</text>')
    for day, urge, viewed in entries:
        index = (day - first).days
        if not 0 <= index < days:
            continue
        x = LEFT + GAP + index * (COLUMN + GAP)
        bar = max(PLOT_HEIGHT * urge / DIARY_URGE_MAX, ZERO_BAR)
        colour = COLOURS.get(viewed, COLOURS[Viewed.UNSAID])
        parts.append(f'<rect x="{x}" y="{base - bar:.1f}" width="{COLUMN}" height="{bar:.1f}" fill="{colour}"/>')
        if viewed == Viewed.YES:
            middle = x + COLUMN / 2
            parts.append(
                f'<path d="M{middle:.1f} {base + 4} l5 14 h-10 z" fill="{colour}"/>'  # a triangle under the bar
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every interpolated value is escaped or a number
