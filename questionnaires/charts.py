"""A help-seeker's scores over time as an inline SVG: no script, no external resource.

The SVG is decorative for screen readers (``aria-hidden``); the page always shows the same
figures as a table, which is the text equivalent. Numbers are written for the reader's locale
exactly as the table writes them (``django.utils.formats.localize``).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.utils.formats import localize
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 600, 240
LEFT, RIGHT, TOP, BOTTOM = 48, 24, 16, 40


def history_svg(scores: Sequence[Decimal], labels: Sequence[str], low: Decimal, high: Decimal) -> SafeString:
    """A line of the scores (one point per occasion) between the instrument's bounds."""
    span = (high - low) or Decimal(1)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(len(scores) - 1, 1)

    def x(index: int) -> float:
        return LEFT + (plot_w / 2 if len(scores) == 1 else index * step)

    def y(value: Decimal) -> float:
        return TOP + plot_h * float((high - value) / span)

    points = [(x(i), y(score)) for i, score in enumerate(scores)]
    axis = 'text-anchor="end" font-size="13" fill="#1d1d1f"'
    parts = [
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="100%" direction="ltr" aria-hidden="true" focusable="false">',
        f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{TOP + plot_h}" stroke="#6b6b70"/>',
        f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{LEFT + plot_w}" y2="{TOP + plot_h}" stroke="#6b6b70"/>',
        f'<text x="{LEFT - 8}" y="{TOP + 5}" {axis}>{escape(localize(high))}</text>',
        f'<text x="{LEFT - 8}" y="{TOP + plot_h}" {axis}>{escape(localize(low))}</text>',
    ]
    if len(points) > 1:
        path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
        parts.append(f'<polyline points="{path}" fill="none" stroke="#0b5cad" stroke-width="3"/>')
    text = 'text-anchor="middle" fill="#1d1d1f"'
    for (px, py), score, label in zip(points, scores, labels, strict=True):
        parts.append(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="6" fill="#0b5cad"/>')
        parts.append(f'<text x="{px:.1f}" y="{py - 10:.1f}" {text} font-size="13">{escape(localize(score))}</text>')
        parts.append(f'<text x="{px:.1f}" y="{HEIGHT - 14}" {text} font-size="12">{escape(label)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every interpolated value is escaped or a number
