"""Charts as plain SVG, drawn on the server: no JavaScript, readable by screen readers.

Each chart carries a <title> and a <desc> that says what it shows in words; pages always put
the data table beside it, and the bars come in the table's order (years in order, categories in
the order of their frame), so that row n of the table is bar n of the chart.

Bar charts are laid out in percentages of their width with text of a fixed size: on a 375 px
phone the bars get shorter, the labels stay as readable as on a desktop (a chart scaled down
as a whole, like the line chart, shrinks its text with it). Each label has a line of its own
above its bar, broken into lines that fit a phone, so no label is cut off, however long.
"""

import textwrap
from dataclasses import dataclass
from xml.sax.saxutils import escape

COLOURS = ["#0b4f8a", "#b35806", "#1b7837", "#762a83", "#8c510a"]
TEXT = "#1b1b1b"
FONT = 13  # px, at any width
LABEL_H = 17  # a label's line
BAR_H = 12
ROW = LABEL_H + BAR_H + 8
HEADING = 26  # a small multiple's heading
PLOT = 82  # % of the width the longest bar takes; the rest is for its number
LINE_WIDTH = 400  # the line chart's coordinates (it scales as a whole)
# Characters of a label's line: 13 px text of 40 characters fits the 343 px a 375 px phone
# leaves a chart (measured in chromium: Cyrillic capitals are the widest, about 8 px).
LINE_CHARS = 40
LEGEND_CHARS = 55  # of 12-unit text across the line chart's 400 units


@dataclass(frozen=True)
class Bar:
    label: str
    value: int | None  # None: withheld to protect people


def _open(chart_id: str, title: str, description: str, size: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" {size} role="img" '
        f'aria-labelledby="{chart_id}-t {chart_id}-d" class="chart">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
        f'<desc id="{chart_id}-d">{escape(description)}</desc>',
    ]


def _lines(text: str) -> list[str]:
    return textwrap.wrap(text, LINE_CHARS, break_long_words=True) or [""]


def _text(x: str, y: float, text: str, attributes: str) -> tuple[str, int]:
    """A label in as many lines as it needs, and how many it took."""
    lines = _lines(text)
    spans = "".join(
        f'<tspan x="{x}" dy="{0 if n == 0 else LABEL_H}">{escape(line)}</tspan>'
        for n, line in enumerate(lines)
    )
    return f'<text x="{x}" y="{y}" {attributes}>{spans}</text>', len(lines)


def _shown(value: int | None, withheld: str) -> str:
    return withheld if value is None else str(value)


def bar_chart(chart_id: str, title: str, bars: list[Bar], *, withheld: str = "–") -> str:
    """Horizontal bars in the order given, each under its label."""
    return small_multiples(chart_id, title, [("", bars)], withheld=withheld)


def small_multiples(
    chart_id: str, title: str, groups: list[tuple[str, list[Bar]]], *, withheld: str = "–"
) -> str:
    """A two-way table as one bar chart per row of the table (its heading), every chart on the
    same scale, bars in the order of the table's columns; one group without a heading is a
    plain bar chart."""
    top = max([b.value or 0 for _h, bars in groups for b in bars] + [1])
    words = "; ".join(_said(heading, bars, withheld) for heading, bars in groups)
    body, y = [], 4
    for heading, bars in groups:
        if heading:
            text, lines = _text(
                "0", y + 16, heading, f'font-size="{FONT + 1}" font-weight="bold" fill="{TEXT}"'
            )
            body.append(text)
            y += HEADING + (lines - 1) * LABEL_H
        for n, bar in enumerate(bars):
            colour = COLOURS[n % len(COLOURS)] if heading else COLOURS[0]
            length = 0 if bar.value is None else PLOT * bar.value / top
            text, lines = _text("0", y + FONT, bar.label, f'font-size="{FONT}" fill="{TEXT}"')
            y += (lines - 1) * LABEL_H
            body += [
                text,
                f'<rect x="0" y="{y + LABEL_H}" width="{length:.2f}%" height="{BAR_H}" '
                f'fill="{colour}"/>',
                f'<text x="{length:.2f}%" dx="5" y="{y + LABEL_H + BAR_H - 1}" '
                f'font-size="{FONT}" fill="{TEXT}">{_shown(bar.value, withheld)}</text>',
            ]
            y += ROW
        y += 6 if heading else 0
    return "\n".join(
        [*_open(chart_id, title, words, f'width="100%" height="{y}"'), *body, "</svg>"]
    )


def _said(heading: str, bars: list[Bar], withheld: str) -> str:
    if heading:
        return f"{heading}: " + ", ".join(f"{b.label} {_shown(b.value, withheld)}" for b in bars)
    return "; ".join(f"{b.label}: {_shown(b.value, withheld)}" for b in bars)


def line_chart(chart_id: str, title: str, series: dict[str, list[tuple[str, int | None]]]) -> str:
    """Counts per year in the order of the years, one line per series (withheld points leave a
    gap). The chart scales as a whole: pages keep it from growing past 40rem."""
    width, left, bottom = LINE_WIDTH, 40, 30
    legend = {name: textwrap.wrap(name, LEGEND_CHARS) or [""] for name in series if len(series) > 1}
    top_margin = 12 + 16 * sum(len(lines) for lines in legend.values())
    height = top_margin + 200 + bottom
    years = sorted({x for points in series.values() for x, _ in points})
    peak = max([v or 0 for points in series.values() for _, v in points] + [1])
    plot_w, plot_h = width - left - 12, height - bottom - top_margin
    every = max(1, -(-len(years) // 8))  # at most 8 year labels: they never overlap

    def xy(year: str, value: int) -> tuple[float, float]:
        x = left + (years.index(year) + 0.5) * plot_w / max(len(years), 1)
        return x, top_margin + plot_h * (1 - value / peak)

    words = "; ".join(
        f"{name}: " + ", ".join(f"{x} {_shown(v, '–')}" for x, v in points)
        for name, points in series.items()
    )
    out = _open(chart_id, title, words, f'viewBox="0 0 {width} {height}" width="100%"')
    out.append(
        f'<line x1="{left}" y1="{top_margin + plot_h}" x2="{width - 12}" '
        f'y2="{top_margin + plot_h}" stroke="#767676"/>'
    )
    for n, year in enumerate(years):
        if n % every == 0:
            x, _ = xy(year, 0)
            out.append(
                f'<text x="{x:.1f}" y="{height - 10}" text-anchor="middle" font-size="12" '
                f'fill="{TEXT}">{escape(year)}</text>'
            )
    out.append(
        f'<text x="{left - 6}" y="{top_margin + 10}" text-anchor="end" font-size="12" '
        f'fill="{TEXT}">{peak}</text>'
    )
    legend_y = 4
    for colour, (name, points) in zip(COLOURS * 4, series.items(), strict=False):
        if name in legend:
            out.append(f'<rect x="8" y="{legend_y}" width="12" height="12" fill="{colour}"/>')
            for line in legend[name]:
                out.append(
                    f'<text x="24" y="{legend_y + 10}" font-size="12" fill="{TEXT}">'
                    f"{escape(line)}</text>"
                )
                legend_y += 16
        segment: list[str] = []
        for year, value in points:
            if value is None:
                out += _polyline(segment, colour)
                segment = []
                continue
            x, y = xy(year, value)
            segment.append(f"{x:.1f},{y:.1f}")
            out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}"/>')
        out += _polyline(segment, colour)
    return "\n".join([*out, "</svg>"])


def _polyline(points: list[str], colour: str) -> list[str]:
    if len(points) < 2:
        return []
    return [
        f'<polyline points="{" ".join(points)}" fill="none" stroke="{colour}" stroke-width="2.5"/>'
    ]
