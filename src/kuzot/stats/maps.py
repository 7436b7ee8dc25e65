"""A map of acts by region in Kyrgyzstan, Kazakhstan and Tajikistan, as plain SVG.

Drawn on the server from a *protected* one-way region table (a publication's ``region``
table: ``{"dims": ["region"], "categories": …, "cells": [[[code], value or None], …]}``) and
the simplified boundaries shipped in ``data/regions.json`` (Natural Earth, public domain; see
``data/README.md``). Like the charts, the map carries a <title> and a <desc> listing every value
in words; each region is a <path> whose <title> gives its name and number. A withheld number is
hatched grey and says "withheld"; a region with no row is light grey, "no data".

The boundaries predate Kazakhstan's 2018 and 2022 reforms, so a few shapes hold two regions of
the vocabulary (e.g. East Kazakhstan and Abai): such a shape shows their sum, or "withheld" if
either number is withheld, so that nothing hidden can be read off the map.
"""

import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from django.utils.translation import gettext as _

from kuzot.stats.publishing import label

DATA = Path(__file__).parent / "data" / "regions.json"
WIDTH = 640
MARGIN = 8
LEGEND = 72  # two rows of keys
LEGEND_FONT = 18  # the map scales as a whole: about 10 px on a 375 px phone
KEYS_PER_ROW = 4
CLASSES = ["#fee5d9", "#fcae91", "#fb6a4a", "#de2d26", "#a50f15"]  # ColorBrewer Reds
NO_DATA = "#f0f0f0"
BORDER = "#ffffff"
TEXT = "#1b1b1b"
MIDDLE_LATITUDE = 45.0  # lon/lat scaled by its cosine: shapes look right at these latitudes

Ring = list[tuple[float, float]]


@dataclass(frozen=True)
class Shape:
    name: str  # as in the boundary data
    country: str
    codes: tuple[str, ...]  # the vocabulary's regions it holds
    polygons: tuple[tuple[Ring, ...], ...]  # outer ring first, then holes


@cache
def shapes() -> tuple[Shape, ...]:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    return tuple(
        Shape(
            name=region["name"],
            country=region["country"],
            codes=tuple(region["codes"]),
            polygons=tuple(
                tuple([(x, y) for x, y in ring] for ring in polygon)
                for polygon in region["polygons"]
            ),
        )
        for region in data["regions"]
    )


def _projection(drawn: tuple[Shape, ...]) -> tuple:
    """Longitude/latitude → SVG coordinates (equirectangular), and the map's height."""
    points = [p for s in drawn for polygon in s.polygons for ring in polygon for p in ring]
    stretch = math.cos(math.radians(MIDDLE_LATITUDE))
    west, east = min(x for x, _ in points), max(x for x, _ in points)
    south, north = min(y for _, y in points), max(y for _, y in points)
    scale = (WIDTH - 2 * MARGIN) / ((east - west) * stretch)

    def project(lon: float, lat: float) -> tuple[float, float]:
        return MARGIN + (lon - west) * stretch * scale, MARGIN + (north - lat) * scale

    return project, 2 * MARGIN + (north - south) * scale


def classes(values: list[int], k: int = len(CLASSES)) -> list[tuple[int, int]]:
    """Up to ``k`` classes (lowest, highest) holding about equally many regions."""
    if not values:
        return []
    ordered = sorted(values)
    uppers = sorted({ordered[math.ceil(len(ordered) * i / k) - 1] for i in range(1, k + 1)})
    lowers = [ordered[0], *(upper + 1 for upper in uppers[:-1])]
    return list(zip(lowers, uppers, strict=True))


def _name(code: str) -> str:
    if code.endswith("-unknown"):
        return f"{label('region', code)} ({label('country', code[:2].upper())})"
    return label("region", code)


def region_map(table: dict, chart_id: str, title: str) -> str:
    """The choropleth of a protected region table (see the module's docstring)."""
    withheld, no_data = _("withheld"), _("no data")
    cells = {tuple(labels): value for labels, value in table["cells"]}
    values = {labels[0]: v for labels, v in cells.items() if labels[0] is not None}

    def shown(value: int | None) -> str:
        return withheld if value is None else str(value)

    words = [f"{_name(code)}: {shown(values[code])}" for code in table["categories"][0]]
    if (None,) in cells:
        words.append(f"{_('Total')}: {shown(cells[(None,)])}")
    # Only the countries the table covers (its frame lists every region of each of them).
    countries = {code[:2].upper() for code in table["categories"][0]}
    covered = tuple(s for s in shapes() if s.country in countries) or shapes()
    drawn: list[tuple[Shape, bool, int | None]] = []  # a shape, has it data, its number
    for shape in covered:
        numbers = [values[code] for code in shape.codes if code in values]
        drawn.append((shape, bool(numbers), None if None in numbers else sum(numbers)))
    legend = classes([n for _s, data, n in drawn if data and n is not None])

    def fill(data: bool, number: int | None) -> str:
        if not data:
            return NO_DATA
        if number is None:
            return f"url(#{chart_id}-withheld)"
        return next(CLASSES[i] for i, (_low, high) in enumerate(legend) if number <= high)

    project, map_height = _projection(covered)
    height = math.ceil(map_height + LEGEND)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" role="img" aria-labelledby="{chart_id}-t {chart_id}-d" class="chart map">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
        f'<desc id="{chart_id}-d">{escape("; ".join(words))}</desc>',
        f'<defs><pattern id="{chart_id}-withheld" width="6" height="6" '
        'patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        '<rect width="6" height="6" fill="#d9d9d9"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#737373" stroke-width="2"/></pattern></defs>',
    ]
    for shape, data, number in drawn:
        path = " ".join(
            "M" + " L".join("{:.1f},{:.1f}".format(*project(x, y)) for x, y in ring) + " Z"
            for polygon in shape.polygons
            for ring in polygon
        )
        name = ", ".join(_name(code) for code in shape.codes)
        status = no_data if not data else shown(number)
        out.append(
            f'<path class="region" data-regions={quoteattr(" ".join(shape.codes))} '
            f'd="{path}" fill="{fill(data, number)}" fill-rule="evenodd" stroke="{BORDER}" '
            f'stroke-width="0.8"><title>{escape(f"{name}: {status}")}</title></path>'
        )
    keys = [(f"{low}–{high}" if low != high else str(low), CLASSES[i])
            for i, (low, high) in enumerate(legend)]  # fmt: skip
    keys += [(withheld, f"url(#{chart_id}-withheld)"), (no_data, NO_DATA)]
    step = (WIDTH - 2 * MARGIN) / KEYS_PER_ROW
    for i, (text, colour) in enumerate(keys):
        x = MARGIN + (i % KEYS_PER_ROW) * step
        y = map_height + 8 + (i // KEYS_PER_ROW) * 30
        out += [
            f'<rect x="{x:.1f}" y="{y:.1f}" width="20" height="20" fill="{colour}" '
            'stroke="#767676" stroke-width="0.5"/>',
            f'<text x="{x + 26:.1f}" y="{y + 16:.1f}" font-size="{LEGEND_FONT}" fill="{TEXT}">'
            f"{escape(text)}</text>",
        ]
    return "\n".join([*out, "</svg>"])
