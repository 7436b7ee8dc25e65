"""axe-core (vendored: tests/browser/vendor) in chromium finds no serious or critical
accessibility violation on the complaint form, the public pages, login, the case list and a
case page. No network: the script is injected from the repository."""

from pathlib import Path

import pytest

from tests.browser.conftest import log_in
from tests.browser.public_site import public_pages, published
from tests.conftest import build_world
from tests.stats.fixture import build

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).parent / "vendor" / "axe.min.js"


def violations(page) -> list[dict]:
    """Serious and critical violations of the page as it is now."""
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("async () => (await axe.run(document)).violations")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"][:3]]}
        for v in found
        if v["impact"] in ("serious", "critical")
    ]


def test_public_and_staff_pages_have_no_serious_violation(live_server, browser):
    world = build_world()
    publication = published(world)
    case = build(world)["c1"]
    # The site's Content-Security-Policy allows only its own scripts: let the test's in.
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    found = {}
    for path in [*public_pages(publication), "/accounts/login/"]:
        page.goto(live_server.url + path)
        found[path] = violations(page)
    log_in(page, live_server.url, world.user("a-coordinator"))
    for path in ["/", "/cases/", f"/cases/{case.pk}/", "/statistics/"]:
        page.goto(live_server.url + path)
        found[path] = violations(page)
    context.close()
    assert not {path: v for path, v in found.items() if v}
