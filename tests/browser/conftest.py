"""Debian's chromium driven by Playwright: no browser downloads."""

import os
import shutil

import pytest

CHROMIUM = os.environ.get("KUZOT_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium (scripts/test does it)")
    # Playwright's sync API runs an event loop in this thread; the ORM calls made by the
    # tests themselves are ordinary synchronous calls.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


def log_in(page, base: str, user) -> None:
    """Through the login page: password, then the current code of the user's authenticator."""
    from tests.conftest import PASSWORD, totp_code

    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Six-digit code from your authenticator app").fill(totp_code(user))
    page.get_by_role("button", name="Log in").click()
