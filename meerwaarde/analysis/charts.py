"""Charts drawn on the server as SVG, so they look the same in a page, a PDF and offline.

Each chart is one image to assistive technology (``role="img"`` with a ``<title>`` and a
``<desc>``); the page puts it in a ``<figure>`` with a caption, a Dutch summary and the table
of its data, which is where a screen reader gets the numbers. Colours and sizes are
presentation attributes, never ``style`` (the Content-Security-Policy allows no inline style)
and there is no script. Scales with a viewBox to the width of the page.
"""

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from meerwaarde.analysis.formatting import num

# Distinguishable for the common colour-vision deficiencies (Okabe & Ito), dark enough for
# text-sized marks on white.
PALETTE = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#555555")
INK = "#1a1a1a"
GRID = "#d0d0d0"
FONT = 13


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]  # None: hidden, no bar


@dataclass(frozen=True)
class IntervalRow:
    label: str
    value: float | None
    low: float | None = None
    high: float | None = None
    uncertain: bool = False


@dataclass(frozen=True)
class StackRow:
    label: str
    parts: Sequence[int]  # one count per category of the legend


def _open(chart_id: str, title: str, description: str, width: int, height: int) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="mw-chart" id="{escape(chart_id)}" '
        f'viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc" '
        f'font-size="{FONT}" fill="{INK}">',
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
        f'<desc id="{escape(chart_id)}-desc">{escape(description)}</desc>',
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
    ]


def _close(parts: list[str]) -> SafeString:
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text escaped above


def _fit(label: str, limit: int = 40) -> str:
    """A label that fits left of the plot; the table beside the chart has it in full."""
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def _nice_step(span: float, target_ticks: int = 5) -> float:
    raw = span / max(target_ticks, 1)
    if raw <= 0:
        return 1.0
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if factor * magnitude >= raw:
            return factor * magnitude
    return 10 * magnitude


def _ticks(low: float, high: float) -> list[float]:
    """Round tick values covering [low, high]."""
    if high <= low:
        high = low + 1
    step = _nice_step(high - low)
    start = math.floor(low / step) * step
    ticks, value = [], start
    while value < high + step / 2:
        ticks.append(round(value, 10))
        value += step
    if ticks[-1] < high:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


def _tick_label(value: float, step: float) -> str:
    if float(value).is_integer() and float(step).is_integer():
        return num(int(value))
    return num(value, 1 if step >= 0.1 else 2)


def _legend(names: Sequence[str], x: float, y: float) -> list[str]:
    parts, offset = [], 0.0
    for i, name in enumerate(names):
        colour = PALETTE[i % len(PALETTE)]
        parts.append(
            f'<rect x="{x + offset:.1f}" y="{y - 10}" width="12" height="12" fill="{colour}"/>'
            f'<text x="{x + offset + 17:.1f}" y="{y}">{escape(name)}</text>'
        )
        offset += 17 + 7.2 * len(name) + 18
    return parts


def bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    labels: Sequence[str],
    series: Sequence[Series],
    width: int = 720,
    height: int = 300,
) -> SafeString:
    """Grouped vertical bars: one group per label (a month), one bar per series."""
    left, right, top, bottom = 56, 16, 40, 48
    plot_w, plot_h = width - left - right, height - top - bottom
    top_value = max([0.0, *(v for s in series for v in s.values if v is not None)])
    ticks = _ticks(0, top_value or 1)
    scale = plot_h / ticks[-1]
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1
    parts = _open(chart_id, title, description, width, height)
    for tick in ticks:
        y = top + plot_h - tick * scale
        parts.append(
            f'<line x1="{left}" x2="{left + plot_w}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">'
            f"{escape(_tick_label(tick, step))}</text>"
        )
    groups = max(len(labels), 1)
    group_w = plot_w / groups
    bar_w = group_w * 0.8 / max(len(series), 1)
    every = math.ceil(groups / 12)  # at most twelve labels under the axis
    for g, label in enumerate(labels):
        x0 = left + g * group_w + group_w * 0.1
        for s, one in enumerate(series):
            value = one.values[g]
            if value is None:  # hidden (too few participants): no bar rather than a zero one
                continue
            bar_h = value * scale
            parts.append(
                f'<rect x="{x0 + s * bar_w:.1f}" y="{top + plot_h - bar_h:.1f}" '
                f'width="{max(bar_w - 1, 1):.1f}" height="{bar_h:.1f}" '
                f'fill="{PALETTE[s % len(PALETTE)]}"/>'
            )
        if g % every == 0:
            parts.append(
                f'<text x="{left + (g + 0.5) * group_w:.1f}" y="{top + plot_h + 18}" '
                f'text-anchor="middle">{escape(label)}</text>'
            )
    parts.append(
        f'<line x1="{left}" x2="{left + plot_w}" y1="{top + plot_h}" y2="{top + plot_h}" '
        f'stroke="{INK}"/>'
    )
    parts += _legend([s.name for s in series], left, 20)
    return _close(parts)


def interval_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    rows: Sequence[IntervalRow],
    reference: float = 0.0,
    reference_label: str = "",
    axis_note: str = "",
    value_text: Callable[[float], str] = lambda v: num(v, 1),
    width: int = 720,
) -> SafeString:
    """A dot per row at its value with a whisker over its interval, against a reference line.

    An uncertain row (few participants) gets an open dot and a note in its label.
    """
    label_w, right, top, row_h = 300, 60, 30, 34
    height = top + row_h * max(len(rows), 1) + 48
    plot_x0, plot_w = label_w, width - label_w - right
    values = [reference]
    for row in rows:
        values += [v for v in (row.value, row.low, row.high) if v is not None]
    ticks = _ticks(min(values), max(values))
    low_end, high_end = ticks[0], ticks[-1]
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1

    def x(value: float) -> float:
        return plot_x0 + (value - low_end) / (high_end - low_end) * plot_w

    parts = _open(chart_id, title, description, width, height)
    bottom = top + row_h * len(rows)
    for tick in ticks:
        parts.append(
            f'<line x1="{x(tick):.1f}" x2="{x(tick):.1f}" y1="{top - 6}" y2="{bottom}" '
            f'stroke="{GRID}"/>'
            f'<text x="{x(tick):.1f}" y="{bottom + 18}" text-anchor="middle">'
            f"{escape(_tick_label(tick, step))}</text>"
        )
    parts.append(
        f'<line x1="{x(reference):.1f}" x2="{x(reference):.1f}" y1="{top - 12}" y2="{bottom}" '
        f'stroke="{INK}" stroke-width="2"/>'
    )
    if reference_label:
        parts.append(
            f'<text x="{x(reference):.1f}" y="{top - 16}" text-anchor="middle">'
            f"{escape(reference_label)}</text>"
        )
    for i, row in enumerate(rows):
        y = top + i * row_h + row_h / 2
        parts.append(
            f'<text x="{label_w - 10}" y="{y + 4:.1f}" text-anchor="end">'
            f"{escape(_fit(row.label))}</text>"
        )
        if row.value is None:
            continue
        if row.low is not None and row.high is not None:
            parts.append(
                f'<path d="M{x(row.low):.1f} {y - 6:.1f} V{y + 6:.1f} M{x(row.low):.1f} {y:.1f} '
                f'H{x(row.high):.1f} M{x(row.high):.1f} {y - 6:.1f} V{y + 6:.1f}" '
                f'fill="none" stroke="{PALETTE[0]}" stroke-width="2"/>'
            )
        fill = "#ffffff" if row.uncertain else PALETTE[0]
        parts.append(
            f'<circle cx="{x(row.value):.1f}" cy="{y:.1f}" r="6" fill="{fill}" '
            f'stroke="{PALETTE[0]}" stroke-width="2"/>'
            f'<text x="{width - right + 8}" y="{y + 4:.1f}">{escape(value_text(row.value))}</text>'
        )
    if axis_note:
        parts.append(
            f'<text x="{plot_x0 + plot_w / 2:.1f}" y="{bottom + 40}" text-anchor="middle">'
            f"{escape(axis_note)}</text>"
        )
    return _close(parts)


def stacked_bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    rows: Sequence[StackRow],
    legend: Sequence[str],
    width: int = 720,
) -> SafeString:
    """One bar per row, split into its parts as shares of the row's total (100% wide)."""
    label_w, right, top, row_h = 300, 16, 44, 30
    height = top + row_h * max(len(rows), 1) + 12
    plot_w = width - label_w - right
    parts = _open(chart_id, title, description, width, height)
    parts += _legend(legend, label_w, 20)
    for i, row in enumerate(rows):
        y = top + i * row_h
        parts.append(
            f'<text x="{label_w - 10}" y="{y + row_h / 2 + 4:.1f}" text-anchor="end">'
            f"{escape(_fit(row.label))}</text>"
        )
        total = sum(row.parts)
        offset = 0.0
        for p, count in enumerate(row.parts):
            if not total or not count:
                continue
            part_w = count / total * plot_w
            parts.append(
                f'<rect x="{label_w + offset:.1f}" y="{y + 4}" width="{part_w:.1f}" '
                f'height="{row_h - 8}" fill="{PALETTE[p % len(PALETTE)]}" stroke="#ffffff"/>'
            )
            offset += part_w
    return _close(parts)
