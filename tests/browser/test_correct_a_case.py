"""Acceptance (issue 11): in a real browser a lawyer corrects a victim's birth year and an
act's place and deletes a legal step entered by mistake (the page asks first, and offers it
back); the case page, the statistics screen and the audit log all show the change. Then two
records of one person are merged."""

import re
from datetime import date

import pytest

from kuzot.cases.actions import (
    add_allegation,
    record_legal_event,
    register_case,
    register_person,
)
from kuzot.cases.models import Allegation, CaseParty, LegalEvent, Person, Term
from kuzot.cases.places import create_place
from tests.browser.test_register_case_end_to_end import log_in
from tests.conftest import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CASE_PAGE = re.compile(r".*/cases/\d+/(#.*)?$")
PERSON_PAGE = re.compile(r".*/people/\d+/$")


def term(vocabulary: str, code: str) -> Term:
    return Term.objects.get(vocabulary=vocabulary, code=code, organisation=None)


def rows(page, selector: str) -> list[str]:
    return [" ".join(r.split()) for r in page.locator(f"{selector} tbody tr").all_inner_texts()]


def test_a_lawyer_corrects_a_case_and_every_screen_shows_it(live_server, page, browser):
    world = build_world()
    lawyer, vault = world.user("a-lawyer"), world.vault("a")
    ivs = create_place(
        world.user("a-coordinator"),
        name_en="IVS of Osh",
        country="KG",
        kind=term("place_type", "temporary_detention"),
    )
    victim = register_person(lawyer, vault, full_name="Эрлан Мамытов", sex="M", birth_year=1990)
    case = register_case(lawyer, vault, intake_date=date(2024, 3, 1), victim=victim)
    act = add_allegation(
        lawyer, vault, case, date=date(2024, 2, 1), act_types=[term("act_type", "beating")],
        victim=victim,
    )  # fmt: skip
    record_legal_event(lawyer, vault, case, kind="complaint_lodged", date=date(2024, 3, 5))
    wrong = record_legal_event(
        lawyer, vault, case, kind="criminal_case_opened", date=date(2024, 4, 1)
    )
    base = live_server.url
    refused = []
    page.on("console", lambda m: refused.append(m.text) if "Refused to" in m.text else None)
    log_in(page, base, lawyer)

    page.goto(f"{base}/statistics/?rows=age_group")
    assert "30-44 1" in rows(page, ".statistic table")
    assert "criminal cases opened 1" in " ".join(rows(page, "table.funnel"))

    # The victim's birth year, from the case page through the person's record.
    page.goto(f"{base}/cases/{case.pk}/")
    page.locator("#parties-h + ul").get_by_role("link", name="Эрлан Мамытов").click()
    page.get_by_role("link", name="Correct the record").click()
    assert page.input_value("#id_full_name") == "Эрлан Мамытов"
    page.fill("#id_birth_year", "2007")
    page.get_by_role("group", name="Vulnerable groups").get_by_label("minor", exact=True).check()
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(PERSON_PAGE)
    assert "changed by a-lawyer" in page.locator(".changed").inner_text()

    # The act's place.
    page.goto(f"{base}/cases/{case.pk}/")
    page.locator("#acts").get_by_role("link", name="Correct the act").click()
    page.select_option("#id_place_of_detention", label="IVS of Osh")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(CASE_PAGE)
    acts = page.locator("#acts").inner_text()
    assert "IVS of Osh" in acts and "changed by a-lawyer" in acts
    assert "changed by a-lawyer" in page.locator("#parties-h + ul").inner_text()

    # The wrong legal step: asked first, then deleted, and offered back.
    assert page.locator("#case-stage").inner_text() == "criminal case opened"
    page.get_by_role("link", name="Delete “criminal case opened”…").click()
    page.get_by_role("heading", name="Delete this step of the legal path?").wait_for()
    assert LegalEvent.objects.filter(pk=wrong.pk).exists()
    page.get_by_role("button", name="Delete the step").click()
    page.wait_for_url(CASE_PAGE)
    assert page.locator("#case-stage").inner_text() == "complaint lodged"
    assert page.locator("#timeline .kind").all_inner_texts() == ["complaint lodged"]
    deleted = page.locator("#deleted")
    assert "criminal case opened" in deleted.inner_text()
    assert deleted.get_by_role("button", name="Put it back").is_visible()
    assert "Last corrected by a-lawyer" in page.locator("#case-changes").inner_text()

    # The history shows the earlier values, the sealed ones opened for the lawyer.
    page.get_by_role("link", name="History of corrections").click()
    history = page.locator("main").inner_text()
    assert "1990" in history and "—" in history and "criminal case opened" in history

    # The statistics count the act in its new age group and place, and no criminal case.
    page.goto(f"{base}/statistics/?rows=age_group")
    assert "0-17 1" in rows(page, ".statistic table")
    assert "criminal cases opened 0" in " ".join(rows(page, "table.funnel"))
    page.goto(f"{base}/statistics/?rows=place_type")
    assert any(r.startswith("Temporary detention facility") and r.endswith(" 1")
               for r in rows(page, ".statistic table")), rows(page, ".statistic table")  # fmt: skip
    act = Allegation.objects.get(pk=act.pk)
    assert (act.victim_age, act.victim_minor, act.place_of_detention) == (17, True, ivs)

    # The coordinator's audit log names each change and who made it.
    context = browser.new_context()
    coordinator_page = context.new_page()
    log_in(coordinator_page, base, world.user("a-coordinator"))
    coordinator_page.get_by_role("navigation").get_by_role("link", name="Audit log").click()
    log = rows(coordinator_page, "table:has(caption:text('Every change'))")
    assert any("a-lawyer Deleted: legal step" in r and f"step {wrong.pk} " in r for r in log), log
    assert any("a-lawyer Updated: act" in r and f"act {act.pk} " in r for r in log), log
    assert any("a-lawyer Updated: person" in r and f"person {victim.pk} " in r for r in log), log
    context.close()
    assert refused == [], refused


def test_a_lawyer_merges_two_records_of_one_person(live_server, page):
    world = build_world()
    lawyer, vault = world.user("a-lawyer"), world.vault("a")
    kept = register_person(lawyer, vault, full_name="Гульнара Сыдыкова", sex="F", birth_year=1988)
    other = register_person(lawyer, vault, full_name="Gulnara Sydykova")
    first = register_case(lawyer, vault, intake_date=date(2023, 6, 1), victim=kept)
    second = register_case(lawyer, vault, intake_date=date(2024, 6, 1), victim=other)
    add_allegation(
        lawyer, vault, second, date=date(2024, 5, 20), act_types=[term("act_type", "beating")],
        victim=other,
    )  # fmt: skip
    base = live_server.url
    log_in(page, base, lawyer)

    page.goto(f"{base}/people/{kept.pk}/")
    page.get_by_role("link", name="Merge another record of this person into this one").click()
    page.fill("#id_other", str(other.pk))
    page.get_by_role("button", name="Merge").click()
    page.wait_for_url(PERSON_PAGE)
    assert f"P-{other.pk} is merged into P-{kept.pk}" in page.locator(".messages").inner_text()
    assert "changed by a-lawyer" in page.locator(".changed").inner_text()

    page.goto(f"{base}/cases/{second.pk}/")
    assert "Гульнара Сыдыкова" in page.locator("#parties-h + ul").inner_text()
    assert "Gulnara Sydykova" not in page.locator("#parties-h + ul").inner_text()
    page.goto(f"{base}/people/{kept.pk}/history/")
    history = page.locator("main").inner_text()
    assert "merged into another record" in history and "Gulnara Sydykova" in history

    assert not Person.objects.filter(pk=other.pk).exists()
    assert set(CaseParty.objects.filter(person=kept).values_list("case_id", flat=True)) == {
        first.pk,
        second.pk,
    }
    act = Allegation.objects.get(case=second)
    assert (act.victim_id, act.victim_sex, act.victim_age) == (kept.pk, "F", 36)
