"""The progress chart of one step: a bar per year for the actual value, a mark for the target
and a dashed line for the baseline, drawn on the server like ``analysis.charts``.

A hidden value is never a bar of 0: its year carries the words "te weinig deelnemers" instead.
Negative values (a mean change that went down) hang below the zero line.
"""

from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString

from meerwaarde.analysis.charts import (
    GRID,
    INK,
    PALETTE,
    _close,
    _legend,
    _open,
    _tick_label,
    _ticks,
)
from meerwaarde.bundling.suppression import HIDDEN_TEXT, Hidden

ACTUAL_COLOUR = PALETTE[0]
TARGET_COLOUR = PALETTE[1]
BASELINE_COLOUR = PALETTE[2]  # the legend gives the third name the third colour


def progress_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    years: Sequence[int],
    actual: Sequence[float | Hidden | None],
    targets: Sequence[float | None],
    baseline: float | None,
    legend: tuple[str, str, str],
    width: int = 720,
    height: int = 280,
) -> SafeString:
    """``legend`` names the actual value, the target and the baseline, in that order."""
    left, right, top, bottom = 64, 16, 44, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    numbers = [0.0]
    numbers += [v for v in actual if isinstance(v, float | int)]
    numbers += [v for v in targets if v is not None]
    if baseline is not None:
        numbers.append(baseline)
    ticks = _ticks(min(numbers), max(numbers))
    low, high = ticks[0], ticks[-1]
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1

    def y(value: float) -> float:
        return top + plot_h - (value - low) / (high - low) * plot_h

    parts = _open(chart_id, title, description, width, height)
    for tick in ticks:
        parts.append(
            f'<line x1="{left}" x2="{left + plot_w}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" '
            f'stroke="{GRID}"/>'
            f'<text x="{left - 6}" y="{y(tick) + 4:.1f}" text-anchor="end">'
            f"{escape(_tick_label(tick, step))}</text>"
        )
    group_w = plot_w / max(len(years), 1)
    bar_w = group_w * 0.5
    for i, year in enumerate(years):
        x0 = left + i * group_w
        centre = x0 + group_w / 2
        value = actual[i]
        if isinstance(value, Hidden):
            parts.append(
                f'<text x="{centre:.1f}" y="{y(0) - 8:.1f}" text-anchor="start" font-size="11" '
                f'transform="rotate(-90 {centre:.1f} {y(0) - 8:.1f})">{escape(str(HIDDEN_TEXT))}'
                "</text>"
            )
        elif value is not None:
            y_value, y_zero = y(float(value)), y(0)
            parts.append(
                f'<rect x="{centre - bar_w / 2:.1f}" y="{min(y_value, y_zero):.1f}" '
                f'width="{bar_w:.1f}" height="{max(abs(y_zero - y_value), 1):.1f}" '
                f'fill="{ACTUAL_COLOUR}"/>'
            )
        target = targets[i]
        if target is not None:
            parts.append(
                f'<line x1="{x0 + group_w * 0.12:.1f}" x2="{x0 + group_w * 0.88:.1f}" '
                f'y1="{y(target):.1f}" y2="{y(target):.1f}" stroke="{TARGET_COLOUR}" '
                'stroke-width="4"/>'
            )
        parts.append(
            f'<text x="{centre:.1f}" y="{top + plot_h + 20}" text-anchor="middle">{year}</text>'
        )
    if baseline is not None:
        parts.append(
            f'<line x1="{left}" x2="{left + plot_w}" y1="{y(baseline):.1f}" '
            f'y2="{y(baseline):.1f}" stroke="{BASELINE_COLOUR}" stroke-width="2" '
            'stroke-dasharray="6 4"/>'
        )
    parts.append(
        f'<line x1="{left}" x2="{left + plot_w}" y1="{y(0):.1f}" y2="{y(0):.1f}" stroke="{INK}"/>'
    )
    names = list(legend if baseline is not None else legend[:2])
    parts += _legend(names, left, 20)
    return _close(parts)
