"""Server-rendered SVG charts for the evaluator pages: no JavaScript, no inline style
(the Content-Security-Policy forbids both), presentation attributes only. Every chart is
drawn beside a table with the same figures; a suppressed value is drawn as the word
"suppressed", never as a zero-length bar."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from analytics.measures import plain_decimal

COLOURS = ("#1f5f8b", "#b35900", "#2e7d32", "#6a1b9a", "#8d6e63", "#455a64")


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal | None  # None: suppressed
    group: int = 0  # which colour (a series in a grouped bar chart)


def bar_chart(bars: Sequence[Bar], *, title: str, legend: Sequence[str] = (), width: int = 640) -> SafeString:
    """Horizontal bars, one per row, labelled with their value or "suppressed"."""
    row, label_width, top = 22, 220, 8 + (20 if legend else 0)
    height = top + row * len(bars) + 8
    largest = max((float(bar.value) for bar in bars if bar.value is not None), default=0) or 1
    span = width - label_width - 90
    parts = [_svg_open(width, height, title)]
    for index, name in enumerate(legend):
        x = 8 + index * 160
        parts.append(f'<rect x="{x}" y="6" width="12" height="12" fill="{COLOURS[index % len(COLOURS)]}"/>')
        parts.append(f'<text x="{x + 16}" y="16" font-size="12">{escape(name)}</text>')
    for index, bar in enumerate(bars):
        y = top + index * row
        # the second series of a group: its label is on the bar above
        label = "" if index and bar.group and bars[index - 1].label == bar.label else bar.label
        parts.append(
            f'<text x="{label_width - 6}" y="{y + 15}" font-size="12" text-anchor="end">{escape(_clip(label))}</text>'
        )
        if bar.value is None:
            parts.append(
                f'<text x="{label_width + 4}" y="{y + 15}" font-size="12" fill="#555">{escape(_("suppressed"))}</text>'
            )
            continue
        length = max(0.0, float(bar.value) / largest * span)
        colour = COLOURS[bar.group % len(COLOURS)]
        parts.append(f'<rect x="{label_width}" y="{y + 3}" width="{length:.1f}" height="{row - 6}" fill="{colour}"/>')
        parts.append(
            f'<text x="{label_width + length + 4:.1f}" y="{y + 15}" font-size="12">{plain_decimal(bar.value)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def line_chart(
    x_labels: Sequence[str], series: Sequence[tuple[str, Sequence[Decimal | None]]], *, title: str, width: int = 640
) -> SafeString:
    """Lines over periods; a suppressed point breaks the line and is marked with a cross."""
    height, left, bottom, top = 240, 48, 40, 28
    values = [float(v) for _name, points in series for v in points if v is not None]
    largest = max(values, default=0) or 1
    step = (width - left - 40) / max(1, len(x_labels) - 1)  # room for the last label

    def x(index: int) -> float:
        return left + index * step

    def y(value: float) -> float:
        return top + (height - top - bottom) * (1 - value / largest)

    parts = [_svg_open(width, height, title)]
    parts.append(f'<line x1="{left}" y1="{y(0):.1f}" x2="{width - 8}" y2="{y(0):.1f}" stroke="#999"/>')
    parts.append(
        f'<text x="{left - 4}" y="{y(largest) + 4:.1f}" font-size="11" text-anchor="end">'
        f"{plain_decimal(Decimal(largest))}</text>"
    )
    parts.append(f'<text x="{left - 4}" y="{y(0) + 4:.1f}" font-size="11" text-anchor="end">0</text>')
    for index, label in enumerate(x_labels):
        parts.append(
            f'<text x="{x(index):.1f}" y="{height - 18}" font-size="11" text-anchor="middle">{escape(label)}</text>'
        )
    for number, (name, points) in enumerate(series):
        colour = COLOURS[number % len(COLOURS)]
        parts.append(f'<rect x="{left + number * 170}" y="6" width="12" height="12" fill="{colour}"/>')
        parts.append(f'<text x="{left + number * 170 + 16}" y="16" font-size="12">{escape(name)}</text>')
        run: list[str] = []
        for index, value in enumerate([*points, None]):
            if value is None:
                if len(run) > 1:
                    parts.append(f'<polyline points="{" ".join(run)}" fill="none" stroke="{colour}" stroke-width="2"/>')
                elif run:
                    px, py = run[0].split(",")
                    parts.append(f'<circle cx="{px}" cy="{py}" r="3" fill="{colour}"/>')
                run = []
                if index < len(points):
                    cx, cy = x(index), y(0) - 8
                    parts.append(
                        f'<path d="M{cx - 4:.1f},{cy - 4:.1f}L{cx + 4:.1f},{cy + 4:.1f}'
                        f'M{cx - 4:.1f},{cy + 4:.1f}L{cx + 4:.1f},{cy - 4:.1f}" stroke="{colour}"/>'
                    )
                continue
            run.append(f"{x(index):.1f},{y(float(value)):.1f}")
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def interval_chart(
    rows: Sequence[tuple[str, Decimal | None, Decimal | None, Decimal | None]], *, title: str, width: int = 640
) -> SafeString:
    """Mean change with its 95% interval, one row each, around a zero line."""
    row, label_width = 26, 240
    height = 16 + row * len(rows) + 20
    extent = max((abs(float(v)) for _l, *values in rows for v in values if v is not None), default=1) or 1
    middle = label_width + (width - label_width - 20) / 2
    scale = (width - label_width - 40) / 2 / extent

    def x(value: Decimal) -> float:
        return middle + float(value) * scale

    parts = [_svg_open(width, height, title)]
    parts.append(f'<line x1="{middle:.1f}" y1="8" x2="{middle:.1f}" y2="{height - 20}" stroke="#999"/>')
    parts.append(f'<text x="{middle:.1f}" y="{height - 6}" font-size="11" text-anchor="middle">0</text>')
    for index, (label, mean, low, high) in enumerate(rows):
        y = 16 + index * row
        parts.append(
            f'<text x="{label_width - 6}" y="{y + 4}" font-size="12" text-anchor="end">{escape(_clip(label))}</text>'
        )
        if mean is None or low is None or high is None:
            parts.append(
                f'<text x="{label_width + 4}" y="{y + 4}" font-size="12" fill="#555">{escape(_("suppressed"))}</text>'
            )
            continue
        parts.append(
            f'<line x1="{x(low):.1f}" y1="{y}" x2="{x(high):.1f}" y2="{y}" stroke="{COLOURS[0]}" stroke-width="2"/>'
        )
        parts.append(f'<circle cx="{x(mean):.1f}" cy="{y}" r="4" fill="{COLOURS[0]}"/>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def _svg_open(width: int, height: int, title: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-label="{escape(title)}" preserveAspectRatio="xMinYMin meet"><title>{escape(title)}</title>'
    )


def _clip(text: str, limit: int = 34) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
