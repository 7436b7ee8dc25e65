"""The regional map is valid SVG: one shape per region, withheld numbers marked and never summed
into a neighbour, and a description that lists every value."""

from xml.etree import ElementTree

import pytest

from kuzot.cases.vocabularies import REGIONS
from kuzot.stats.maps import classes, region_map, shapes

SVG = "{http://www.w3.org/2000/svg}"
TABLE = {
    "name": "region",
    "dims": ["region"],
    "categories": [
        [
            "kg-bishkek",
            "kg-osh",
            "kg-osh-city",
            "kg-unknown",
            "kz-almaty",
            "kz-almaty-city",
            "kz-jetisu",
            "tj-dushanbe",
        ]
    ],
    "cells": [
        [["kg-bishkek"], 120],
        [["kg-osh"], 40],
        [["kg-osh-city"], 12],
        [["kg-unknown"], 9],
        [["kz-almaty"], 30],
        [["kz-almaty-city"], None],
        [["kz-jetisu"], None],
        [["tj-dushanbe"], 7],
        [[None], 240],
    ],
}


@pytest.fixture
def drawn(db) -> ElementTree.Element:
    return ElementTree.fromstring(region_map(TABLE, "map-region", "Acts by region"))


def region_paths(root: ElementTree.Element) -> dict[str, ElementTree.Element]:
    paths = {}
    for path in root.iter(f"{SVG}path"):
        for code in path.get("data-regions").split():
            assert code not in paths, f"{code} drawn twice"
            paths[code] = path
    return paths


def test_every_region_of_the_vocabulary_has_exactly_one_shape(drawn):
    paths = region_paths(drawn)
    assert len(list(drawn.iter(f"{SVG}path"))) == len(shapes())
    assert set(paths) == {code for regions in REGIONS.values() for code, _en, _ru in regions}
    for path in paths.values():
        assert path.get("d").startswith("M") and path.get("d").endswith("Z")


def test_it_is_an_image_with_a_title_and_a_description_of_every_value(drawn):
    assert drawn.get("role") == "img"
    assert drawn.find(f"{SVG}title").text == "Acts by region"
    assert drawn.find(f"{SVG}desc").text == (
        "Bishkek: 120; Osh: 40; Osh (city): 12; unknown (Kyrgyzstan): 9; Almaty: 30; "
        "Almaty (city): withheld; Jetisu: withheld; Dushanbe: 7; Total: 240"
    )


def test_a_shape_holding_two_regions_shows_their_sum(drawn):
    osh = region_paths(drawn)["kg-osh-city"]
    assert osh.find(f"{SVG}title").text == "Osh, Osh (city): 52"
    assert osh.get("fill").startswith("#")


def test_withheld_regions_are_hatched_and_never_added_to_a_shown_one(drawn):
    paths = region_paths(drawn)
    for code in ("kz-almaty-city", "kz-jetisu"):
        assert paths[code].get("fill") == "url(#map-region-withheld)"
        assert paths[code].find(f"{SVG}title").text.endswith(": withheld")
    assert "30" not in paths["kz-almaty"].find(f"{SVG}title").text
    assert drawn.find(f"{SVG}defs/{SVG}pattern").get("id") == "map-region-withheld"


def test_regions_without_a_row_say_no_data(drawn):
    naryn = region_paths(drawn)["kg-naryn"]
    assert naryn.find(f"{SVG}title").text == "Naryn: no data"
    legend = [t.text for t in drawn.iter(f"{SVG}text")]
    assert legend[-2:] == ["withheld", "no data"]


def test_classes_hold_about_equally_many_regions():
    assert classes([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) == [(1, 2), (3, 4), (5, 6), (7, 8), (9, 10)]
    assert classes([7, 7, 7]) == [(7, 7)]
    assert classes([]) == []
