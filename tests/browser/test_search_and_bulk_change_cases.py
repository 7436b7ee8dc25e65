"""Acceptance, in a real browser: a coordinator types a victim's name in another spelling in the
case list's one search box and finds the case (the list updates in place), then ticks two
cases, assigns them a lawyer and closes them in one step, and lands back on the same list."""

import re
from datetime import date

import pytest

from kuzot.cases.models import Case
from tests.browser.test_register_case_end_to_end import log_in
from tests.cases.case_screens import a_case
from tests.conftest import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_coordinator_searches_the_case_list_and_changes_two_cases_at_once(live_server, page):
    world = build_world()
    for n, (name, ref) in enumerate(
        [("Бакыт Сыдыков", "KG-A"), ("Эрлан Касымов", "KG-B"), ("Тимур Алиев", "KG-C")]
    ):
        a_case(world, name=name, reference=ref, intake_date=date(2024, 3, n + 1))
    refused = []
    page.on("console", lambda m: refused.append(m.text) if "Refused to" in m.text else None)
    log_in(page, live_server.url, world.user("a-coordinator"))
    page.goto(f"{live_server.url}/cases/")
    rows = page.locator("#case-results tbody tr")
    assert rows.count() == 3

    page.get_by_label("Search").fill("Sydykov")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url(re.compile(r".*q=Sydykov.*"))
    page.locator("#case-results tbody tr").first.wait_for()
    assert rows.count() == 1
    assert "Бакыт Сыдыков" in rows.first.inner_text()

    page.get_by_role("link", name="Clear filters").click()
    page.wait_for_url(re.compile(r".*/cases/$"))
    page.get_by_label("Pick KG-A").check()
    page.get_by_label("Pick KG-C").check()
    page.get_by_label("Assign the lawyer").select_option(label="a-lawyer")
    page.get_by_label("Set the status").select_option(value="closed")
    page.get_by_role("button", name="Change", exact=True).click()
    page.get_by_text("2 cases are changed.").wait_for()
    assert page.url.endswith("/cases/")

    changed = {c.reference: (c.assigned_lawyer_id, c.status) for c in Case.objects.all()}
    lawyer = world.user("a-lawyer").pk
    assert changed == {
        "KG-A": (lawyer, "closed"),
        "KG-B": (None, "open"),
        "KG-C": (lawyer, "closed"),
    }
    assert not refused, refused
