"""In chromium, the complaint form as a complainant sees it without JavaScript: each radio
button and checkbox sits left of its label's text; nothing is consented beforehand and calls
are asked about once; on the follow-up page "Close and forget" looks unlike "Send" and asks
for confirmation before the browser forgets the complaint."""

import re

import pytest

from kuzot.intake.abuse import guard
from kuzot.intake.actions import open_as_submitter, read_content
from tests.conftest import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# For every radio button and checkbox: its box and the box of its label's own text.
BOXES = """() => [...document.querySelectorAll('input[type=radio], input[type=checkbox]')].map(
  input => {
    const range = document.createRange();
    const text = [...input.parentElement.childNodes].find(
      n => n.nodeType === 3 && n.textContent.trim());
    range.selectNodeContents(text);
    const box = input.getBoundingClientRect(), words = range.getClientRects()[0];
    return {name: text.textContent.trim(), input: [box.left, box.right, box.top, box.bottom],
            text: [words.left, words.top, words.bottom]};
  })"""

STYLE = """e => { const s = getComputedStyle(e);
  return [s.color, s.backgroundColor, s.borderTopColor]; }"""


def test_each_choice_sits_left_of_its_label(live_server, browser):
    build_world()
    page = browser.new_context(viewport={"width": 800, "height": 900}).new_page()
    page.goto(f"{live_server.url}/complaint/a/")
    boxes = page.evaluate(BOXES)
    assert len(boxes) >= 10
    for box in boxes:
        left, right, top, bottom = box["input"]
        text_left, text_top, text_bottom = box["text"]
        assert right <= text_left, box
        middle, text_middle = (top + bottom) / 2, (text_top + text_bottom) / 2
        assert abs(middle - text_middle) <= 4, box


def test_nothing_is_consented_beforehand_and_calls_are_asked_once(
    live_server, browser, monkeypatch
):
    monkeypatch.setattr(guard, "min_seconds", 0)
    build_world()
    page = browser.new_context(java_script_enabled=False).new_page()
    page.goto(f"{live_server.url}/complaint/a/")
    consents = page.get_by_role("group", name="What may we do with what you tell us?")
    boxes = consents.get_by_role("checkbox")
    assert boxes.count() == 5
    for i in range(boxes.count()):
        assert not boxes.nth(i).is_checked()
    assert not page.get_by_text(re.compile("call me by phone")).count()
    assert page.get_by_text(re.compile("call")).count() == 1

    page.get_by_label("What happened?").fill("They beat me at the station.")
    page.get_by_label("You may call me").check()
    page.get_by_label("Phone number or other way to reach you safely").fill("+996 555 000 111")
    page.get_by_label("You may keep a record of what I tell you.").check()
    page.get_by_role("button", name="Send the complaint").click()
    receipt = page.locator("#receipt").inner_text()
    submission, key = open_as_submitter(receipt)
    assert sorted(read_content(submission, key)["consent"]) == ["documentation", "phone"]


def test_close_and_forget_is_distinct_and_confirmed(live_server, browser, monkeypatch):
    monkeypatch.setattr(guard, "min_seconds", 0)
    build_world()
    page = browser.new_context(java_script_enabled=False).new_page()
    page.goto(f"{live_server.url}/complaint/a/")
    page.get_by_label("What happened?").fill("They beat me at the station.")
    page.get_by_role("button", name="Send the complaint").click()
    receipt = page.locator("#receipt").inner_text()
    page.goto(f"{live_server.url}/complaint/follow-up/")
    page.get_by_label("Your 16-digit receipt").fill(receipt)
    page.get_by_role("button", name="Open").click()

    def looks(locator) -> tuple[str, str, str]:
        return tuple(locator.evaluate(STYLE))

    send = page.get_by_role("button", name="Send", exact=True)
    forget = page.get_by_role("link", name="Close and forget on this device")
    send_color, send_background, _ = looks(send)
    forget_color, forget_background, forget_border = looks(forget)
    assert forget_background != send_background and forget_color != send_color
    assert forget_border == forget_color == "rgb(164, 22, 26)"  # the colour of danger

    forget.click()
    assert "To read it again you need your 16-digit receipt" in page.content()
    page.get_by_role("link", name="No, back to my complaint").click()
    assert "They beat me at the station." in page.content(), "nothing was forgotten"
    page.get_by_role("link", name="Close and forget on this device").click()
    page.get_by_role("button", name="Yes, close and forget").click()
    assert page.url.endswith("/complaint/follow-up/")
    page.goto(f"{live_server.url}/complaint/follow-up/conversation/")
    assert page.url.endswith("/complaint/follow-up/") and "They beat me" not in page.content()
