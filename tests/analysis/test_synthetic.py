"""The synthetic people and lists look like the coalition's real ones."""

from collections import Counter, defaultdict

from kuzot.analysis.synthetic import (
    COUNTRIES,
    DEFAULT_SOURCES,
    REGIONS,
    generate_people,
    observe,
)

PEOPLE = generate_people(1500, seed=3)
ROWS = observe(PEOPLE, DEFAULT_SOURCES, seed=4)


def test_same_seed_same_data_and_another_seed_other_data():
    assert observe(generate_people(1500, seed=3), DEFAULT_SOURCES, seed=4) == ROWS
    assert observe(PEOPLE, DEFAULT_SOURCES, seed=5) != ROWS


def test_people_of_each_country_with_its_regions_sexes_and_birth_years():
    assert {p.country for p in PEOPLE} == set(COUNTRIES)
    assert all(p.region in REGIONS[p.country] for p in PEOPLE)
    assert {p.sex for p in PEOPLE} == {"M", "F"}
    assert {p.ethnicity for p in PEOPLE} == {"kyrgyz", "kazakh", "tajik", "uzbek", "russian"}
    assert all(1947 <= p.birth_year <= 2007 for p in PEOPLE)  # namesakes: ±3 years


def test_rows_follow_the_link_contract_with_record_ids_unique_per_source():
    for row in ROWS:
        assert row["record_id"] and row["full_name"] and row["source"]
        assert row["sex"] in ("", "M", "F")
        assert row["country"] in COUNTRIES
        assert len(row["incident_date"]) in (4, 7, 10)
    ids = Counter((row["source"], row["record_id"]) for row in ROWS)
    assert max(ids.values()) == 1
    assert {row["source"] for row in ROWS} == {s.name for s in DEFAULT_SOURCES}


def test_lists_overlap_and_spell_the_same_person_differently():
    names = defaultdict(set)
    sources = defaultdict(set)
    for row in ROWS:
        names[row["true_person_id"]].add(row["full_name"])
        sources[row["true_person_id"]].add(row["source"])
    in_several = [p for p, s in sources.items() if len(s) > 1]
    assert len(in_several) > 200
    spelt_apart = [p for p in in_several if len(names[p]) > 1]
    assert len(spelt_apart) > 0.8 * len(in_several)


def test_the_habits_of_real_lists_appear():
    names = [row["full_name"] for row in ROWS]
    cyrillic = [n for n in names if any("а" <= ch.lower() <= "я" for ch in n)]
    assert 0.3 < len(cyrillic) / len(names) < 0.8
    assert any(n.isupper() for n in names)  # passport style
    assert any(" уулу" in n.lower() or " кызы" in n.lower() for n in names)
    assert any(n.lower().endswith(("ovich", "ович", "овна", "ovna")) for n in names)
    assert any(n.endswith(".") for n in names)  # an initial
    assert any("зода" in n or "zoda" in n.lower() for n in names)
    missing_year = sum(not row["birth_year"] for row in ROWS)
    assert 0.1 < missing_year / len(ROWS) < 0.4
    assert any(row["given_name"] for row in ROWS) and any(not row["given_name"] for row in ROWS)


def test_namesakes_are_different_people_with_the_same_name_and_near_birth_years():
    by_name = defaultdict(list)
    for person in PEOPLE:
        by_name[(person.given_name, person.family_name)].append(person)
    close = [
        group
        for group in by_name.values()
        if len(group) > 1
        and max(p.birth_year for p in group) - min(p.birth_year for p in group) <= 3
    ]
    assert len(close) >= 20
