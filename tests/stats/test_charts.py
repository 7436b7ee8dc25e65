"""Charts are plain SVG with a title and a description in words; withheld values show as such;
bars come in the table's order, under labels of a fixed size that are never cut."""

from xml.etree import ElementTree

from kuzot.stats.charts import FONT, Bar, bar_chart, line_chart, small_multiples

SVG = "{http://www.w3.org/2000/svg}"


def test_a_bar_chart_says_in_words_what_it_draws():
    svg = bar_chart(
        "agencies", "Acts by agency", [Bar("Police", 120), Bar("GKNB", 30), Bar("Army", None)]
    )
    root = ElementTree.fromstring(svg)
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "Acts by agency"
    assert root.find(f"{SVG}desc").text == "Police: 120; GKNB: 30; Army: –"
    widths = [float(r.get("width").rstrip("%")) for r in root.iter(f"{SVG}rect")]
    assert widths[0] > widths[1] > widths[2] == 0


def test_bars_keep_the_tables_order_and_whole_labels_at_a_fixed_size():
    long = "Temporary detention facility of the internal affairs bodies"
    svg = bar_chart("years", "Acts per year", [Bar("2019", 3), Bar("2020", 40), Bar(long, 7)])
    root = ElementTree.fromstring(svg)
    assert root.get("viewBox") is None  # not scaled as a whole: text keeps its size
    assert root.get("width") == "100%"
    texts = [" ".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    assert texts[0::2] == ["2019", "2020", long]  # labels in the given order, whole
    lines = [[span.text for span in t] for t in root.iter(f"{SVG}text")][4]
    assert len(lines) == 2 and all(len(line) <= 40 for line in lines)  # it fits a phone
    assert {t.get("font-size") for t in root.iter(f"{SVG}text")} == {str(FONT)}
    for text in root.iter(f"{SVG}text"):
        assert float(text.get("x").rstrip("%")) >= 0  # nothing drawn left of the chart


def test_a_two_way_table_is_small_multiples_on_one_scale():
    svg = small_multiples(
        "sex-age",
        "Acts by sex and age group",
        [
            ("Women", [Bar("18-29", 10), Bar("30-44", None)]),
            ("Men", [Bar("18-29", 20), Bar("30-44", 5)]),
        ],
    )
    root = ElementTree.fromstring(svg)
    assert root.find(f"{SVG}desc").text == "Women: 18-29 10, 30-44 –; Men: 18-29 20, 30-44 5"
    widths = [float(r.get("width").rstrip("%")) for r in root.iter(f"{SVG}rect")]
    assert widths[2] == 2 * widths[0] and widths[1] == 0  # one scale for every panel


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
