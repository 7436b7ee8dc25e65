"""Charts are plain SVG with a title and a description in words; withheld values show as such."""

from xml.etree import ElementTree

from kuzot.stats.charts import Bar, bar_chart, line_chart

SVG = "{http://www.w3.org/2000/svg}"


def test_a_bar_chart_says_in_words_what_it_draws():
    svg = bar_chart(
        "agencies", "Acts by agency", [Bar("Police", 120), Bar("GKNB", 30), Bar("Army", None)]
    )
    root = ElementTree.fromstring(svg)
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "Acts by agency"
    assert root.find(f"{SVG}desc").text == "Police: 120; GKNB: 30; Army: –"
    widths = [float(r.get("width")) for r in root.iter(f"{SVG}rect")]
    assert widths[0] > widths[1] > widths[2] == 0


def test_a_line_chart_leaves_a_gap_where_a_value_is_withheld():
    svg = line_chart(
        "years",
        "Acts per year",
        {
            "KG": [("2020", 10), ("2021", None), ("2022", 14), ("2023", 20)],
            "KZ": [("2020", 5), ("2021", 8), ("2022", 9), ("2023", 12)],
        },
    )
    root = ElementTree.fromstring(svg)
    assert "KG: 2020 10, 2021 –, 2022 14" in root.find(f"{SVG}desc").text
    assert len(root.findall(f"{SVG}polyline")) == 2  # KG only from 2022 on, KZ whole
    assert len(root.findall(f"{SVG}circle")) == 7
