"""Acceptance: a lawyer in a real browser registers a case end to end — the person, two
acts, and the legal path from a complaint to compensation — and the case page's timeline lists
those events in order, with the derived stage "compensation awarded"."""

import re

import pytest

from kuzot.cases.models import Case
from tests.conftest import PASSWORD, build_world, totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CASE_PAGE = re.compile(r".*/cases/\d+/(#.*)?$")

PATH = [
    ("complaint_lodged", "2023-01-10", {}),
    ("complaint_refused", "2023-02-01", {}),
    ("appeal", "2023-02-20", {}),
    ("criminal_case_opened", "2023-04-05", {"#id_article": "143"}),
    ("conviction_torture", "2024-03-01", {"#id_sentence": "5 years"}),
    ("compensation_awarded", "2024-09-09", {"#id_amount": "200000", "#id_currency": "KGS"}),
]


def log_in(page, base: str, user) -> None:
    page.goto(f"{base}/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Six-digit code from your authenticator app").fill(totp_code(user))
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", level=1, name="Organisation A").wait_for()


def test_a_lawyer_registers_a_case_from_complaint_to_compensation(live_server, page):
    world = build_world()
    lawyer = world.user("a-lawyer")
    base = live_server.url
    refused = []  # a CSP violation (an inline style or script) would show up here
    page.on("console", lambda m: refused.append(m.text) if "Refused to" in m.text else None)
    log_in(page, base, lawyer)

    page.get_by_role("navigation").get_by_role("link", name="Cases").click()
    page.get_by_role("link", name="Register a case").click()
    page.fill("#id_full_name", "Данияр Токтогулов")
    page.select_option("#id_sex", "M")
    page.fill("#id_birth_year", "1979")
    page.select_option("#id_nationality", "KG")
    page.get_by_role("group", name="Vulnerable groups").get_by_label("migrant").check()
    page.fill("#id_intake_date", "2023-01-05")
    page.select_option("#id_assigned_lawyer", label="a-lawyer")
    page.fill("#id_summary", "Задержан и избит в ИВС, требовали признания.")
    page.get_by_role("group", name="Consent: documentation of the case").get_by_label("yes").check()
    page.get_by_role("button", name="Register the case").click()
    page.wait_for_url(CASE_PAGE)
    case = Case.objects.get()
    assert page.get_by_role("heading", level=1).inner_text() == f"Case {case.reference}"
    assert page.get_by_text("Данияр Токтогулов").first.is_visible()

    for act_date, act, agency in (
        ("2023-01-02", "Beating", "Police (internal affairs)"),
        ("2023-01-03", "Suffocation (bag, gas mask)", "National security service"),
    ):
        page.get_by_role("link", name="Record an alleged act").click()
        page.fill("#id_date", act_date)
        page.get_by_role("group", name="Act types").get_by_label(act).check()
        page.select_option("#id_agency", label=agency)
        page.fill("#id_unit", "ИВС")
        page.get_by_role("button", name="Save").click()
        page.wait_for_url(CASE_PAGE)
    acts = page.locator("#acts h3").all_inner_texts()
    assert len(acts) == 2 and "Beating" in acts[0] and "Suffocation" in acts[1]

    # Entered out of order on purpose: the timeline sorts by date.
    for kind, when, extra in [PATH[1], PATH[0], *PATH[2:]]:
        page.get_by_role("link", name="Record a step of the legal path").click()
        page.select_option("#id_kind", kind)
        page.fill("#id_date", when)
        for selector, value in extra.items():
            page.fill(selector, value)
        page.get_by_role("button", name="Save").click()
        page.wait_for_url(CASE_PAGE)

    assert page.locator("#timeline .kind").all_inner_texts() == [
        "complaint lodged",
        "complaint refused registration",
        "appeal",
        "criminal case opened",
        "conviction under the torture article",
        "compensation awarded",
    ]
    assert page.locator("#timeline time").all_inner_texts()[0] != ""
    assert page.locator("#case-stage").inner_text() == "compensation awarded"
    assert "200000.00 KGS" in page.locator("#timeline").inner_text()
    case.refresh_from_db()
    assert case.stage == "compensation_awarded" and case.assigned_lawyer == lawyer
    assert refused == [], refused


def test_an_error_keeps_what_was_typed_in_the_browser(live_server, page):
    world = build_world()
    log_in(page, live_server.url, world.user("a-lawyer"))
    page.goto(f"{live_server.url}/cases/new/")
    page.fill("#id_full_name", "Камила Эсенова")
    page.fill("#id_birth_year", "1850")
    page.fill("#id_summary", "Текст, который нельзя потерять")
    page.get_by_role("button", name="Register the case").click()
    page.locator("#id_birth_year_field .error").wait_for()
    assert page.input_value("#id_full_name") == "Камила Эсенова"
    assert page.input_value("#id_summary") == "Текст, который нельзя потерять"
    assert page.input_value("#id_birth_year") == "1850"
    assert not Case.objects.exists()
