"""A small SVG line chart of handle growth over time, with no dependency.

Each type is drawn as its growth since the first sample, so ``--threshold``
(a growth, not a count) is one horizontal line that every series is judged
against; the legend keeps each type's first and last count.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ._watch import Growth, Sample

__all__ = ["THRESHOLD_COLOUR", "svg_chart"]

_WIDTH, _LEFT, _RIGHT, _TOP, _BOTTOM = 760, 64, 220, 48, 48
_PLOT_H = 280
# Distinct from the threshold's red, so the line stays recognisable.
_COLOURS = (
    "#1f77b4", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
    "#e377c2", "#7f7f7f", "#bcbd22", "#17becf", "#393b79",
)  # fmt: skip
THRESHOLD_COLOUR = "#d62728"
_MAX_SERIES = len(_COLOURS)


def _ticks(low: float, high: float, count: int = 5) -> list[float]:
    raw = (high - low) / max(1, count - 1)
    magnitude = 10 ** len(str(int(max(1.0, raw)))) / 10
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw) if raw > 0 else 1
    first = int(low // step) * step
    ticks: list[float] = []
    value = float(first)
    while value <= high + 1e-9:
        if value >= low - 1e-9:
            ticks.append(value)
        value += step
    return ticks


def _time_ticks(span: float) -> list[float]:
    step = next(
        s for s in (0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1800, 3600, 1e9) if span / s <= 6
    )
    return [i * step for i in range(int(span / step + 1e-9) + 1)]


def _number(value: float) -> str:
    return f"{value:g}"


def svg_chart(samples: Sequence[Sample], growths: Sequence[Growth], *, threshold: int, who: str) -> str:
    """Each type's growth since the first sample, the threshold line, and a title with the verdict."""
    crossed = [g for g in growths if g.grew > threshold]
    if crossed:
        names = ", ".join(f"{g.type_name} +{g.grew}" for g in crossed)
        title = f"FAIL: {len(crossed)} type(s) of {who} grew past {threshold}: {names}"
    else:
        title = f"OK: no handle type of {who} grew by more than {threshold}"
    drawn = list(growths[:_MAX_SERIES])
    left_out = list(growths[_MAX_SERIES:])
    series = [(g, [s.census[g.type_name] - g.first for s in samples]) for g in drawn]
    low = min([0, *(min(values) for _, values in series)])
    high = max([threshold + 1, *(max(values) for _, values in series)])
    span = max(samples[-1].seconds, 1e-9)
    plot_w = _WIDTH - _LEFT - _RIGHT
    legend_rows = len(drawn) + (2 if left_out else 0) + 1
    height = max(_TOP + _PLOT_H + _BOTTOM, _TOP + 18 * legend_rows + 10)

    def x(seconds: float) -> float:
        return _LEFT + plot_w * seconds / span

    def y(value: float) -> float:
        return _TOP + _PLOT_H * (1 - (value - low) / (high - low))

    bottom = _TOP + _PLOT_H
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_WIDTH}" height="{height}" '
        f'font-family="sans-serif" font-size="12">',
        f"<title>{escape(title)}</title>",
        f'<rect width="{_WIDTH}" height="{height}" fill="white"/>',
        f'<text class="title" x="{_LEFT}" y="24" font-size="14" font-weight="bold" '
        f'fill="{THRESHOLD_COLOUR if crossed else "#222"}">{escape(title)}</text>',
    ]
    for tick in _ticks(low, high):
        parts.append(
            f'<line class="grid" x1="{_LEFT}" y1="{y(tick):.1f}" x2="{_LEFT + plot_w}" '
            f'y2="{y(tick):.1f}" stroke="#eee"/>'
            f'<line x1="{_LEFT - 4}" y1="{y(tick):.1f}" x2="{_LEFT}" y2="{y(tick):.1f}" stroke="#444"/>'
            f'<text class="ytick" x="{_LEFT - 7}" y="{y(tick) + 4:.1f}" '
            f'text-anchor="end">{_number(tick)}</text>'
        )
    for tick in _time_ticks(span):
        parts.append(
            f'<line x1="{x(tick):.1f}" y1="{bottom}" x2="{x(tick):.1f}" y2="{bottom + 4}" stroke="#444"/>'
            f'<text class="xtick" x="{x(tick):.1f}" y="{bottom + 17}" '
            f'text-anchor="middle">{_number(round(tick, 1))}</text>'
        )
    parts += [
        f'<line x1="{_LEFT}" y1="{bottom}" x2="{_LEFT + plot_w}" y2="{bottom}" stroke="#444"/>',
        f'<line x1="{_LEFT}" y1="{_TOP}" x2="{_LEFT}" y2="{bottom}" stroke="#444"/>',
        f'<text class="xlabel" x="{_LEFT + plot_w / 2:.0f}" y="{bottom + 36}" text-anchor="middle">'
        "seconds since the first sample</text>",
        f'<text class="ylabel" transform="translate(18 {_TOP + _PLOT_H / 2:.0f}) rotate(-90)" '
        'text-anchor="middle">handles gained since the first sample</text>',
        f'<line class="threshold" x1="{_LEFT}" y1="{y(threshold):.1f}" '
        f'x2="{_LEFT + plot_w}" y2="{y(threshold):.1f}" '
        f'stroke="{THRESHOLD_COLOUR}" stroke-width="2" stroke-dasharray="6 4"/>',
        f'<text x="{_LEFT + plot_w - 4}" y="{y(threshold) - 5:.1f}" text-anchor="end" '
        f'fill="{THRESHOLD_COLOUR}">threshold +{threshold}</text>',
    ]
    legend_x = _LEFT + plot_w + 14
    for number, (growth, values) in enumerate(series):
        colour = _COLOURS[number]
        over = growth.grew > threshold
        points = " ".join(f"{x(s.seconds):.1f},{y(v):.1f}" for s, v in zip(samples, values, strict=True))
        width = 3 if over else 1.5
        parts.append(
            f'<polyline class="series" data-type="{escape(growth.type_name)}" fill="none" '
            f'stroke="{colour}" stroke-width="{width}" points="{points}"/>'
        )
        if over:
            parts.append(
                f'<circle class="crossed" data-type="{escape(growth.type_name)}" '
                f'cx="{x(samples[-1].seconds):.1f}" cy="{y(values[-1]):.1f}" r="5" '
                f'fill="{colour}" stroke="{THRESHOLD_COLOUR}" stroke-width="2"/>'
            )
        legend_y = _TOP + 18 * number + 10
        mark = " \u25b2 over" if over else ""
        bold = ' font-weight="bold"'
        parts.append(
            f'<rect x="{legend_x}" y="{legend_y - 9}" width="10" height="10" fill="{colour}"/>'
            f'<text class="legend" x="{legend_x + 16}" y="{legend_y}"'
            f"{bold if over else ''}>{escape(growth.type_name)} "
            f"{growth.first}\u2192{growth.last} ({growth.grew:+d}){mark}</text>"
        )
    if left_out:
        note_y = _TOP + 18 * len(series) + 14
        names = ", ".join(f"{g.type_name} {g.grew:+d}" for g in left_out)
        parts.append(
            f'<text class="note" x="{legend_x}" y="{note_y}" '
            'font-style="italic">not drawn (least growth):</text>'
            f'<text class="note" x="{legend_x}" y="{note_y + 16}" font-style="italic">{escape(names)}</text>'
        )
    parts.append("</svg>")
    return "\n".join(parts) + "\n"
