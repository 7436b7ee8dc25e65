"""Charts as plain SVG, drawn on the server: no JavaScript, readable by screen readers.

Each chart carries a <title> and a <desc> that says what it shows in words; pages always put
the data table beside it.
"""

from dataclasses import dataclass
from xml.sax.saxutils import escape

WIDTH = 640
BAR = 22
GAP = 8
LABEL = 200
COLOURS = ["#0b4f8a", "#b35806", "#1b7837", "#762a83", "#8c510a"]


@dataclass(frozen=True)
class Bar:
    label: str
    value: int | None  # None: withheld to protect people


def _open(chart_id: str, title: str, description: str, height: int) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" role="img" aria-labelledby="{chart_id}-t {chart_id}-d" class="chart">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
        f'<desc id="{chart_id}-d">{escape(description)}</desc>',
    ]


def bar_chart(chart_id: str, title: str, bars: list[Bar], *, withheld: str = "–") -> str:
    """Horizontal bars, largest first, for ranked categories (regions, agencies, act types)."""
    bars = sorted(bars, key=lambda b: -(b.value or 0))
    top = max([b.value or 0 for b in bars] + [1])
    height = len(bars) * (BAR + GAP) + GAP
    words = "; ".join(f"{b.label}: {withheld if b.value is None else b.value}" for b in bars)
    out = _open(chart_id, title, words, height)
    for i, bar in enumerate(bars):
        y = GAP + i * (BAR + GAP)
        length = 0 if bar.value is None else (WIDTH - LABEL - 60) * bar.value / top
        shown = withheld if bar.value is None else str(bar.value)
        out += [
            f'<text x="{LABEL - 6}" y="{y + BAR * 0.7:.1f}" text-anchor="end" '
            f'font-size="13" fill="#1b1b1b">{escape(bar.label[:32])}</text>',
            f'<rect x="{LABEL}" y="{y}" width="{length:.1f}" height="{BAR}" fill="{COLOURS[0]}"/>',
            f'<text x="{LABEL + length + 6:.1f}" y="{y + BAR * 0.7:.1f}" font-size="13" '
            f'fill="#1b1b1b">{shown}</text>',
        ]
    return "\n".join([*out, "</svg>"])


def line_chart(chart_id: str, title: str, series: dict[str, list[tuple[str, int | None]]]) -> str:
    """Counts per year, one line per series (withheld points leave a gap)."""
    height, left, bottom, top_margin = 280, 48, 36, 16
    years = sorted({x for points in series.values() for x, _ in points})
    peak = max([v or 0 for points in series.values() for _, v in points] + [1])
    plot_w, plot_h = WIDTH - left - 16, height - bottom - top_margin

    def xy(year: str, value: int) -> tuple[float, float]:
        x = left + (years.index(year) + 0.5) * plot_w / max(len(years), 1)
        return x, top_margin + plot_h * (1 - value / peak)

    words = "; ".join(
        f"{name}: " + ", ".join(f"{x} {'–' if v is None else v}" for x, v in points)
        for name, points in series.items()
    )
    out = _open(chart_id, title, words, height)
    out.append(
        f'<line x1="{left}" y1="{top_margin + plot_h}" x2="{WIDTH - 16}" '
        f'y2="{top_margin + plot_h}" stroke="#767676"/>'
    )
    for year in years:
        x, _ = xy(year, 0)
        out.append(
            f'<text x="{x:.1f}" y="{height - 14}" text-anchor="middle" font-size="12" '
            f'fill="#1b1b1b">{escape(year)}</text>'
        )
    out.append(
        f'<text x="{left - 6}" y="{top_margin + 10}" text-anchor="end" font-size="12" '
        f'fill="#1b1b1b">{peak}</text>'
    )
    for n, (colour, (name, points)) in enumerate(zip(COLOURS * 4, series.items(), strict=False)):
        if len(series) > 1:
            out += [
                f'<rect x="{left + 8 + 150 * n}" y="2" width="12" height="12" fill="{colour}"/>',
                f'<text x="{left + 24 + 150 * n}" y="12" font-size="12" fill="#1b1b1b">'
                f"{escape(name[:18])}</text>",
            ]
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
