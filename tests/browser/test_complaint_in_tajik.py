"""In chromium: a complaint in Tajik with a photo; a recipient asks; the submitter answers with
the receipt; the recipient accepts it into a case."""

import re

import pytest
from PIL import Image

from kuzot.cases.models import Case
from kuzot.intake.abuse import guard
from tests.browser.conftest import log_in
from tests.conftest import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_complaint_in_tajik_answered_and_accepted(live_server, browser, tmp_path, monkeypatch):
    monkeypatch.setattr(guard, "min_seconds", 0)
    world = build_world()
    photo = tmp_path / "zakhm.jpg"
    Image.new("RGB", (40, 30), "maroon").save(photo, format="JPEG")

    submitter = browser.new_context(java_script_enabled=False).new_page()
    submitter.goto(f"{live_server.url}/complaint/a/")
    submitter.get_by_label("Language").select_option("tg")
    submitter.get_by_role("button", name="Switch").click()
    assert submitter.locator("html").get_attribute("lang") == "tg"
    submitter.get_by_label("Чӣ рӯй дод?").fill("Маро дар шӯъбаи милитсия заданд.")
    submitter.get_by_label("Дар куҷо рӯй дод?").fill("Душанбе")
    submitter.get_by_label("Аксҳо, ҳуҷҷатҳо ё сабтҳо (ихтиёрӣ)").set_input_files(str(photo))
    submitter.get_by_role("button", name="Шикоятро фиристед").click()
    receipt = submitter.locator("#receipt").inner_text()
    assert re.fullmatch(r"\d{4} \d{4} \d{4} \d{4}", receipt)

    recipient = browser.new_context().new_page()
    log_in(recipient, live_server.url, world.user("a-coordinator"))
    recipient.get_by_role("link", name="1 new complaint").first.click()
    recipient.get_by_role("link", name=re.compile(r"C-\d+")).first.click()
    assert "Маро дар шӯъбаи милитсия заданд." in recipient.content()
    assert recipient.get_by_role("link", name="zakhm.jpg").is_visible()
    recipient.get_by_label("Message to the person who complained").fill("Кай ин рӯй дод?")
    recipient.get_by_role("button", name="Send").click()

    submitter.goto(f"{live_server.url}/complaint/follow-up/")
    submitter.get_by_label("Квитансияи 16-рақамаи шумо").fill(receipt)
    submitter.get_by_role("button", name="Кушодан").click()
    assert "Кай ин рӯй дод?" in submitter.content()
    submitter.get_by_label("Ҷавоби шумо").fill("Дар моҳи март.")
    submitter.get_by_role("button", name="Фиристодан").click()

    recipient.reload()
    assert "Дар моҳи март." in recipient.content()
    recipient.get_by_role("button", name="Accept: open a case").click()
    assert "The complaint is now case" in recipient.content()
    case = Case.objects.get()
    assert case.evidence.count() == 1 and case.source.code == "online_form"
