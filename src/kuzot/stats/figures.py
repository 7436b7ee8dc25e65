"""A serialised table's chart, and the region map, in the reader's language.

Takes a table as the statistics pipeline serialises it (``{"name", "dims", "categories",
"cells": [[labels, value or None], …]}``, protected or not) and draws it with ``charts`` or
``maps``: a one-way table as bars in the table's order, a region table as a map, a table of
years by a category as lines over the years, any other two-way table as small multiples (one
bar chart per row of the table, on one scale). Totals are in the table, not the chart.
"""

from django.utils.translation import gettext as _

from kuzot.stats.charts import Bar, bar_chart, line_chart, small_multiples
from kuzot.stats.maps import region_map
from kuzot.stats.publishing import dim_label, label


def _cells(table: dict) -> dict[tuple, int | None]:
    return {tuple(labels): value for labels, value in table["cells"]}


def chart_for(table: dict, chart_id: str, title: str) -> str:
    """The SVG of ``table`` (see the module's docstring)."""
    cells = _cells(table)
    dims, categories = table["dims"], table["categories"]
    if len(dims) == 1:
        return bar_chart(
            chart_id, title, [Bar(label(dims[0], c), cells.get((c,))) for c in categories[0]]
        )
    rows, columns = categories[0], categories[1]
    if dims[0] == "year":
        return line_chart(
            chart_id,
            title,
            {
                label(dims[1], column): [(year, cells.get((year, column))) for year in rows]
                for column in columns
            },
        )
    return small_multiples(
        chart_id,
        title,
        [
            (
                f"{dim_label(dims[0])}: {label(dims[0], row)}",
                [Bar(label(dims[1], column), cells.get((row, column))) for column in columns],
            )
            for row in rows
        ],
    )


def map_for(table: dict, chart_id: str, title: str) -> str:
    """The map of a one-way region table; empty for any other table."""
    if list(table["dims"]) != ["region"]:
        return ""
    return region_map(table, chart_id, title)


def funnel_chart(steps: list[dict], chart_id: str) -> str:
    """The funnel's steps as bars: how many cases reached each."""
    return bar_chart(
        chart_id,
        _("The accountability funnel: how far the cases went"),
        [Bar(str(step["label"]), step["cases"]) for step in steps],
    )
