"""Logging in takes seconds (the password unlocks the keys): the pressed button shows it is
working while the server answers, with JavaScript off."""

import pytest

from tests.conftest import PASSWORD, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_login_button_shows_it_is_busy_until_the_answer_comes(live_server, browser):
    world = build_world()
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    spinner = page.locator("form.slow button .busy")
    assert not spinner.is_visible()
    page.get_by_label("Username").fill(world.user("a-lawyer").username)
    page.get_by_label("Password").fill(PASSWORD)
    held = []
    page.route("**/accounts/login/", lambda route: held.append(route))  # the server "thinks"
    page.get_by_role("button", name="Continue").click(no_wait_after=True)
    page.wait_for_timeout(300)
    assert held and spinner.is_visible()
    page.unroute("**/accounts/login/")
    held[0].continue_()
    page.wait_for_url(lambda url: "/accounts/login/" not in url or "code" in url)
    context.close()
