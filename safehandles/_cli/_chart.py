"""A small SVG line chart of handle counts over time, with no dependency."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ._watch import Sample

__all__ = ["svg_chart"]

_WIDTH, _HEIGHT = 720, 360
_LEFT, _RIGHT, _TOP, _BOTTOM = 60, 170, 40, 40
_COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b")


def _ticks(top: int) -> list[int]:
    step = max(1, top // 4)
    return list(range(0, top + 1, step))


def svg_chart(samples: Sequence[Sample], type_names: Sequence[str], *, title: str) -> str:
    """The total and each of *type_names* as lines over the sampled time."""
    series = [("total", [s.total for s in samples])]
    series += [(name, [s.census[name] for s in samples]) for name in type_names]
    top = max(1, *(max(values) for _, values in series))
    span = max(samples[-1].seconds, 1e-9)
    plot_w, plot_h = _WIDTH - _LEFT - _RIGHT, _HEIGHT - _TOP - _BOTTOM

    def x(seconds: float) -> float:
        return _LEFT + plot_w * seconds / span

    def y(count: int) -> float:
        return _TOP + plot_h * (1 - count / top)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_WIDTH}" height="{_HEIGHT}" '
        f'font-family="sans-serif" font-size="12">',
        f'<rect width="{_WIDTH}" height="{_HEIGHT}" fill="white"/>',
        f'<text x="{_LEFT}" y="22" font-size="14">{escape(title)}</text>',
        f'<line x1="{_LEFT}" y1="{_TOP + plot_h}" x2="{_LEFT + plot_w}" y2="{_TOP + plot_h}" stroke="#444"/>',
        f'<line x1="{_LEFT}" y1="{_TOP}" x2="{_LEFT}" y2="{_TOP + plot_h}" stroke="#444"/>',
        f'<text x="{_LEFT + plot_w / 2:.0f}" y="{_HEIGHT - 8}" text-anchor="middle">seconds</text>',
        f'<text x="{_LEFT + plot_w:.0f}" y="{_TOP + plot_h + 16}" text-anchor="end">{span:.1f}</text>',
    ]
    for tick in _ticks(top):
        parts.append(
            f'<text x="{_LEFT - 6}" y="{y(tick) + 4:.1f}" text-anchor="end">{tick}</text>'
            f'<line x1="{_LEFT}" y1="{y(tick):.1f}" x2="{_LEFT + plot_w}" y2="{y(tick):.1f}" stroke="#eee"/>'
        )
    for number, (name, values) in enumerate(series):
        colour = _COLOURS[number % len(_COLOURS)]
        points = " ".join(f"{x(s.seconds):.1f},{y(v):.1f}" for s, v in zip(samples, values, strict=True))
        parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{points}"/>')
        legend_y = _TOP + 16 * number
        parts.append(
            f'<rect x="{_LEFT + plot_w + 14}" y="{legend_y - 9}" width="10" height="10" fill="{colour}"/>'
            f'<text x="{_LEFT + plot_w + 30}" y="{legend_y}">{escape(name)} '
            f"({values[0]}\u2192{values[-1]})</text>"
        )
    parts.append("</svg>")
    return "\n".join(parts) + "\n"
