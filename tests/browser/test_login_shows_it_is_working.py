"""Logging in takes seconds (the password unlocks the keys): the pressed button shows it is
working until the next page comes, with JavaScript off."""

import re

import pytest

from tests.conftest import PASSWORD, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_pressed_login_button_shows_it_is_busy(live_server, browser):
    world = build_world()
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    spinner = page.locator("form.slow button .busy")
    page.get_by_label("Username").fill(world.user("a-lawyer").username)
    page.get_by_label("Password").fill(PASSWORD)
    assert not spinner.is_visible()
    box = page.get_by_role("button", name="Continue").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()  # pressed: from here until the server's answer replaces the page
    assert spinner.is_visible()
    page.mouse.up()
    page.wait_for_url(re.compile(r"/accounts/login/code/"))
    context.close()
