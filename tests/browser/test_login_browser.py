"""A real browser logs in with a TOTP code, switches to Russian, and logs out."""

import pytest

from tests.conftest import PASSWORD, build_world, totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_lawyer_logs_in_with_a_code_switches_to_russian_and_logs_out(live_server, page):
    world = build_world()
    lawyer = world.user("a-lawyer")
    page.goto(f"{live_server.url}/")
    assert page.url.startswith(f"{live_server.url}/accounts/login/")

    page.get_by_label("Username").fill(lawyer.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Six-digit code from your authenticator app").fill(totp_code(lawyer))
    page.get_by_role("button", name="Log in").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Organisation A"

    page.get_by_label("Language").select_option("ru")
    page.get_by_role("button", name="Switch").click()
    assert page.locator("html").get_attribute("lang") == "ru"
    assert page.get_by_role("navigation").get_by_role("link", name="Люди").is_visible()

    page.get_by_role("button", name="Выйти a-lawyer").click()
    assert page.url.startswith(f"{live_server.url}/accounts/login/")
    assert page.get_by_role("heading", level=1).inner_text() == "Вход"
    page.goto(f"{live_server.url}/people/")
    assert "/accounts/login/" in page.url
