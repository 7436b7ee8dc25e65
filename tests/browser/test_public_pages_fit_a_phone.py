"""On a 375 × 667 phone, no page of the public site or of the complaint form scrolls
sideways, in any public language (a wide funnel table used to)."""

import pytest

from tests.browser.public_site import LANGUAGES, public_pages, published
from tests.conftest import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What sticks out past the right edge of the window, to name it when the test fails.
WIDER = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll('body *')].filter(
    e => e.getBoundingClientRect().right > width + 1 && !e.closest('.scroll'));
  return {scroll: document.documentElement.scrollWidth, width,
          wide: wide.slice(0, 5).map(e => e.tagName + '.' + e.className + ': ' +
                                          (e.textContent || '').slice(0, 40))};
}"""


def test_no_public_page_scrolls_sideways_on_a_phone(live_server, browser):
    world = build_world()
    pages = public_pages(published(world))
    context = browser.new_context(viewport={"width": 375, "height": 667})
    page = context.new_page()
    wide = []
    for language in LANGUAGES:
        context.add_cookies(
            [{"name": "django_language", "value": language, "url": live_server.url}]
        )
        for path in pages:
            page.goto(live_server.url + path)
            assert page.locator("html").get_attribute("lang") == language
            found = page.evaluate(WIDER)
            if found["scroll"] > found["width"] or found["wide"]:
                wide.append((language, path, found))
    context.close()
    assert not wide, wide


def test_chart_labels_stay_readable_on_a_phone(live_server, browser):
    world = build_world()
    publication = published(world)
    page = browser.new_context(viewport={"width": 375, "height": 667}).new_page()
    page.goto(f"{live_server.url}/public/{publication.slug}/")
    sizes = page.evaluate(
        """() => [...document.querySelectorAll('figure.chart svg text')].map(
             t => parseFloat(getComputedStyle(t).fontSize) *
                  (t.ownerSVGElement.getScreenCTM().a))"""
    )
    assert sizes and min(sizes) >= 9.5, min(sizes)
