"""Acceptance: a coordinator in a real browser imports UHRI's export, assesses a recommendation
with evidence and shows it on the scorecard; a reader with JavaScript off reads the new
assessment on the public scorecard in Kyrgyz."""

import re

import pytest

from kuzot.recommendations.models import Recommendation
from tests.browser.test_register_case_end_to_end import log_in
from tests.conftest import build_world
from tests.recommendations.fixture import uhri_export

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_import_assess_and_read_the_scorecard_in_kyrgyz(live_server, browser):
    world = build_world()
    base = live_server.url
    page = browser.new_context().new_page()
    refused = []  # a CSP violation (an inline style or script) would show up here
    page.on("console", lambda m: refused.append(m.text) if "Refused to" in m.text else None)
    log_in(page, base, world.user("a-coordinator"))

    page.get_by_role("navigation").get_by_role("link", name="Recommendations").click()
    page.get_by_role("link", name="Import a spreadsheet").click()
    page.set_input_files(
        "#id_file", files=[{"name": "uhri.csv", "mimeType": "text/csv", "buffer": uhri_export()}]
    )
    page.get_by_role("button", name="Import").click()
    page.get_by_text("Added: 224").wait_for()
    assert Recommendation.objects.count() == 224

    page.get_by_role("link", name="Recommendations").first.click()
    page.get_by_label("Words").fill("CAT/C/KGZ/CO/3 impunity")
    page.get_by_role("button", name="Show").click()
    page.get_by_role("link", name="CAT/C/KGZ/CO/3, para. 14").click()
    page.get_by_role("link", name="Assess").click()
    page.select_option("#id_status", "not_implemented")
    page.select_option("#id_assessor", "ngo")
    page.fill("#id_date", "2024-06-01")
    page.fill("#id_source", "Alternative report 2024")
    page.fill("#id_evidence", "No official was convicted of torture in 2023.")
    page.get_by_label("Show on the public scorecard").check()
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r".*/recommendations/\d+/#thread$"))
    thread = page.locator("#thread")
    assert "not implemented" in thread.inner_text()
    assert "No official was convicted" in thread.inner_text()
    assert refused == []

    reader = browser.new_context(java_script_enabled=False).new_page()
    reader.goto(f"{base}/public/scorecard/KG/")
    reader.get_by_label("Language").select_option("ky")
    reader.get_by_role("button", name="Switch").click()
    assert reader.locator("html").get_attribute("lang") == "ky"
    row = reader.locator("tr", has_text="CAT/C/KGZ/CO/3, para. 14")
    assert "аткарылган эмес" in row.inner_text()
    assert "No official was convicted" not in reader.content()  # the evidence stays sealed
