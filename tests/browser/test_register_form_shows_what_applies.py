"""The registration form shows what applies: a consent's date and manner once it is answered,
the person's identity documents and contact folded until opened."""

import pytest

from tests.browser.test_register_case_end_to_end import log_in
from tests.conftest import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_registration_form_unfolds_what_is_answered(live_server, page):
    world = build_world()
    log_in(page, live_server.url, world.user("a-lawyer"))
    page.goto(f"{live_server.url}/cases/new/")
    documentation = page.get_by_role("group", name="Consent: documentation of the case")

    assert not page.locator("#id_consent_documentation_date").is_visible()
    assert not page.locator("#id_contact").is_visible()
    folded_height = page.evaluate("document.documentElement.scrollHeight")

    documentation.get_by_label("yes").check()
    assert page.locator("#id_consent_documentation_date").is_visible()
    assert not page.locator("#id_consent_statistics_date").is_visible()
    page.get_by_text("Identity documents and contact").click()
    assert page.locator("#id_contact").is_visible()
    assert page.evaluate("document.documentElement.scrollHeight") > folded_height
    documentation.get_by_label("not asked").check()
    assert not page.locator("#id_consent_documentation_date").is_visible()
