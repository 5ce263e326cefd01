"""The funnel plot, drawn on the server like the other charts (``analysis.charts``): one image
to assistive technology, presentation attributes only, no script."""

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString

from meerwaarde.analysis.charts import GRID, INK, PALETTE, _close, _open, _tick_label, _ticks

# Two-sided limits: 95% (z = 1.96) and 99.8% (z = 3.09), as in Spiegelhalter's funnel plots.
Z_95 = 1.959964
Z_998 = 3.090232


@dataclass(frozen=True)
class FunnelPoint:
    n: int
    value: float


def funnel_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    points: Sequence[FunnelPoint],
    own: FunnelPoint | None,
    centre: float,
    sd: float,
    own_label: str,
    x_label: str,
    y_label: str,
    limit_labels: tuple[str, str],
    width: int = 720,
    height: int = 420,
) -> SafeString:
    """Dots at (number of pairs, mean change), the sector mean as a line and the limits
    centre ± z·sd/√n around it; the own organisation a larger, labelled diamond."""
    left, right, top, bottom = 64, 24, 40, 64
    plot_w, plot_h = width - left - right, height - top - bottom
    everyone = [*points, *([own] if own else [])]
    n_max = max([p.n for p in everyone] or [10])
    n_min = max(min([p.n for p in everyone] or [2]), 2)
    x_ticks = _ticks(0, n_max * 1.05)
    x_high = x_ticks[-1]
    # The y range covers every dot and the 99.8% limits from the smallest drawn n on.
    spread = Z_998 * sd / math.sqrt(n_min) if sd > 0 else 0.0
    values = [centre - spread, centre + spread, *(p.value for p in everyone)]
    y_ticks = _ticks(min(values), max(values))
    y_low, y_high = y_ticks[0], y_ticks[-1]
    x_step = x_ticks[1] - x_ticks[0] if len(x_ticks) > 1 else 1
    y_step = y_ticks[1] - y_ticks[0] if len(y_ticks) > 1 else 1

    def x(n: float) -> float:
        return left + n / x_high * plot_w

    def y(value: float) -> float:
        clamped = min(max(value, y_low), y_high)
        return top + plot_h - (clamped - y_low) / (y_high - y_low) * plot_h

    parts = _open(chart_id, title, description, width, height)
    for tick in y_ticks:
        parts.append(
            f'<line x1="{left}" x2="{left + plot_w}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" '
            f'stroke="{GRID}"/>'
            f'<text x="{left - 6}" y="{y(tick) + 4:.1f}" text-anchor="end">'
            f"{escape(_tick_label(tick, y_step))}</text>"
        )
    for tick in x_ticks:
        parts.append(
            f'<text x="{x(tick):.1f}" y="{top + plot_h + 18}" text-anchor="middle">'
            f"{escape(_tick_label(tick, x_step))}</text>"
        )
    parts.append(
        f'<line x1="{left}" x2="{left + plot_w}" y1="{top + plot_h}" y2="{top + plot_h}" '
        f'stroke="{INK}"/>'
        f'<text x="{left + plot_w / 2:.1f}" y="{height - 16}" text-anchor="middle">'
        f"{escape(x_label)}</text>"
        f'<text x="14" y="{top + plot_h / 2:.1f}" text-anchor="middle" '
        f'transform="rotate(-90 14 {top + plot_h / 2:.1f})">{escape(y_label)}</text>'
    )
    if sd > 0:
        steps = [n_min + (x_high - n_min) * i / 80 for i in range(81)]
        for z, dash, colour in ((Z_95, "6 4", PALETTE[1]), (Z_998, "2 3", PALETTE[6])):
            for sign in (1, -1):
                path = " ".join(
                    f"{'M' if i == 0 else 'L'}{x(n):.1f} "
                    f"{y(centre + sign * z * sd / math.sqrt(n)):.1f}"
                    for i, n in enumerate(steps)
                )
                parts.append(
                    f'<path d="{path}" fill="none" stroke="{colour}" stroke-width="1.5" '
                    f'stroke-dasharray="{dash}"/>'
                )
    parts.append(
        f'<line x1="{left}" x2="{left + plot_w}" y1="{y(centre):.1f}" y2="{y(centre):.1f}" '
        f'stroke="{INK}" stroke-width="2"/>'
    )
    for point in points:
        parts.append(
            f'<circle cx="{x(point.n):.1f}" cy="{y(point.value):.1f}" r="4" fill="{PALETTE[0]}" '
            f'fill-opacity="0.6" stroke="{PALETTE[0]}"/>'
        )
    if own is not None:
        cx, cy = x(own.n), y(own.value)
        parts.append(
            f'<path d="M{cx:.1f} {cy - 9:.1f} L{cx + 9:.1f} {cy:.1f} L{cx:.1f} {cy + 9:.1f} '
            f'L{cx - 9:.1f} {cy:.1f} Z" fill="{PALETTE[1]}" stroke="{INK}" stroke-width="1.5"/>'
            f'<text x="{min(cx + 12, left + plot_w - 4):.1f}" y="{cy - 10:.1f}" '
            f'text-anchor="{"start" if cx + 12 < left + plot_w - 120 else "end"}" '
            f'font-weight="bold">{escape(own_label)}</text>'
        )
    # Legend: line styles of the limits.
    legend_x = left
    for label, dash, colour in (
        (limit_labels[0], "6 4", PALETTE[1]),
        (limit_labels[1], "2 3", PALETTE[6]),
    ):
        parts.append(
            f'<line x1="{legend_x}" x2="{legend_x + 28}" y1="{top - 20}" y2="{top - 20}" '
            f'stroke="{colour}" stroke-width="1.5" stroke-dasharray="{dash}"/>'
            f'<text x="{legend_x + 34}" y="{top - 16}">{escape(label)}</text>'
        )
        legend_x += 44 + 7.2 * len(label)
    return _close(parts)
