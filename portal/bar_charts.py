"""Bar charts drawn on the server as inline SVG, from the same numbers Chart.js is given.

The page is complete without JavaScript: each figure's bars, axis and values are in the HTML.
Chart.js, loaded once a chart is in view, draws over the same box and only adds interaction.
Presentation attributes only (`fill`, `x`, ...): the Content-Security-Policy refuses `style`.
"""

import math

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# The same colours as static/js/figures.js: each at least 6:1 against the white page.
COLOURS = ["#0b5563", "#9a3b00", "#4a5565"]
INK = "#1b2430"
GRID = "#d5dbe2"

WIDTH = 640
FONT = 13
ROW = 26  # a horizontal bar's row
LABEL_COLUMN = 210  # room for a horizontal chart's names
LABEL_CHARACTERS = 28
VERTICAL_HEIGHT = 300
LEGEND = 28


def tick_step(most: int, ticks: int = 4) -> int:
    """A round step (1, 2 or 5 times a power of ten) giving at most `ticks` steps up to `most`."""
    if most <= ticks:
        return 1
    power = 10 ** int(math.log10(most / ticks))
    for factor in (1, 2, 5, 10):
        if most / (factor * power) <= ticks:
            return factor * power
    return 10 * power


def shorten(label: str, characters: int = LABEL_CHARACTERS) -> str:
    return label if len(label) <= characters else label[: characters - 1] + "…"


def text(x: float, y: float, content: str, **attributes) -> str:
    extra = "".join(f' {name.replace("_", "-")}="{value}"' for name, value in attributes.items())
    return f'<text x="{x:g}" y="{y:g}"{extra}>{escape(content)}</text>'


def bar_chart_svg(chart: dict) -> SafeString:
    """The chart (`portal.figures.bar_chart`'s dict) as an SVG element scaled to its box."""
    labels = chart["labels"]
    datasets = chart["datasets"]
    if chart["stacked"]:
        totals = [
            sum(dataset["data"][index] for dataset in datasets) for index in range(len(labels))
        ]
    else:
        totals = [
            max(dataset["data"][index] for dataset in datasets) for index in range(len(labels))
        ]
    most = max(totals, default=0) or 1
    step = tick_step(most)
    top = math.ceil(most / step) * step
    draw = horizontal_bars if chart["horizontal"] else vertical_bars
    height, parts = draw(labels, datasets, totals, step, top, stacked=chart["stacked"])
    if len(datasets) > 1:
        parts.append(legend([dataset["label"] for dataset in datasets], height))
        height += LEGEND
    return mark_safe(
        f'<svg class="figure__svg" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" '
        f'height="{height}" font-size="{FONT}" fill="{INK}" aria-hidden="true" '
        f'focusable="false">{"".join(parts)}</svg>'
    )


def segments(datasets, index: int, stacked: bool):
    """(dataset number, start, value) of each non-zero bar at `index`."""
    start = 0
    for number, dataset in enumerate(datasets):
        value = dataset["data"][index]
        if value:
            yield number, start if stacked else 0, value
        if stacked:
            start += value


def horizontal_bars(labels, datasets, totals, step, top, *, stacked):
    plot_left, plot_right = LABEL_COLUMN, WIDTH - 48
    scale = (plot_right - plot_left) / top
    axis_y = len(labels) * ROW + 4
    parts = []
    for tick in range(0, top + 1, step):
        x = plot_left + tick * scale
        parts.append(f'<line x1="{x:g}" x2="{x:g}" y1="0" y2="{axis_y}" stroke="{GRID}"/>')
        parts.append(text(x, axis_y + 18, f"{tick:,}", text_anchor="middle"))
    thickness = (ROW - 8) / (1 if stacked else len(datasets))
    for index, label in enumerate(labels):
        row_top = index * ROW + 4
        parts.append(
            text(plot_left - 8, row_top + ROW / 2, shorten(label), text_anchor="end", dy="0.35em")
        )
        for number, start, value in segments(datasets, index, stacked):
            y = row_top + 4 + (0 if stacked else number * thickness)
            parts.append(
                f'<rect x="{plot_left + start * scale:g}" y="{y:g}" width="{value * scale:g}" '
                f'height="{thickness:g}" fill="{COLOURS[number % len(COLOURS)]}">'
                f"<title>{escape(label)}: {value:,}</title></rect>"
            )
        parts.append(
            text(
                plot_left + totals[index] * scale + 6,
                row_top + ROW / 2,
                f"{totals[index]:,}",
                dy="0.35em",
            )
        )
    return axis_y + 26, parts


def vertical_bars(labels, datasets, totals, step, top, *, stacked):
    plot_left, plot_top, plot_bottom = 44, 16, VERTICAL_HEIGHT - 30
    plot_width = WIDTH - plot_left - 8
    scale = (plot_bottom - plot_top) / top
    parts = []
    for tick in range(0, top + 1, step):
        y = plot_bottom - tick * scale
        parts.append(
            f'<line x1="{plot_left}" x2="{WIDTH - 8}" y1="{y:g}" y2="{y:g}" stroke="{GRID}"/>'
        )
        parts.append(text(plot_left - 6, y, f"{tick:,}", text_anchor="end", dy="0.35em"))
    slot = plot_width / max(len(labels), 1)
    bar = min(slot * 0.7, 36)
    every = math.ceil(len(labels) / 12)  # at most a dozen names under the axis
    for index, label in enumerate(labels):
        middle = plot_left + slot * (index + 0.5)
        if index % every == 0:
            parts.append(text(middle, plot_bottom + 20, shorten(label, 12), text_anchor="middle"))
        width = bar / (1 if stacked else len(datasets))
        for number, start, value in segments(datasets, index, stacked):
            x = middle - bar / 2 + (0 if stacked else number * width)
            y = plot_bottom - (start + value) * scale
            parts.append(
                f'<rect x="{x:g}" y="{y:g}" width="{width:g}" height="{value * scale:g}" '
                f'fill="{COLOURS[number % len(COLOURS)]}">'
                f"<title>{escape(label)}: {value:,}</title></rect>"
            )
    return VERTICAL_HEIGHT, parts


def legend(names: list[str], y: int) -> str:
    parts, x = [], 44
    for number, name in enumerate(names):
        colour = COLOURS[number % len(COLOURS)]
        parts.append(f'<rect x="{x}" y="{y + 8}" width="14" height="14" fill="{colour}"/>')
        parts.append(text(x + 20, y + 15, name, dy="0.35em"))
        x += 20 + 8 * len(name) + 24
    return "".join(parts)
