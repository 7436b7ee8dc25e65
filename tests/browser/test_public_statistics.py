"""In chromium with JavaScript off: the public site in Kyrgyz and in Tajik, a published table
read, and its CSV downloaded."""

import pytest

from kuzot.stats.actions import publish
from tests.conftest import build_world
from tests.stats.fixture import ninety

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    ("language", "switch", "agency_title", "total"),
    [
        ("ky", "Switch", "Окуялар болжолдуу укук бузуучу орган боюнча", "Баары"),
        ("tg", "Switch", "Ҳодисаҳо аз рӯи мақомоти эҳтимолан вайронкунанда", "Ҳамагӣ"),
    ],
)
def test_a_reader_opens_a_publication_and_downloads_a_table(
    live_server, browser, language, switch, agency_title, total
):
    world = build_world()
    ninety(world)
    publication = publish(
        world.user("a-coordinator"),
        title="Кыргызстан 2021–2023",
        coalition_wide=False,
        year_from=2021,
        year_to=2023,
        tables=["agency", "region"],
    )
    page = browser.new_context(java_script_enabled=False, accept_downloads=True).new_page()
    page.goto(f"{live_server.url}/public/")
    page.get_by_label("Language").select_option(language)
    page.get_by_role("button", name=switch).click()
    assert page.locator("html").get_attribute("lang") == language
    page.get_by_role("link", name=publication.title).click()

    table = page.get_by_role("table", name=agency_title)
    assert table.is_visible()
    rows = table.locator("tbody tr")
    assert rows.last.locator("th").inner_text() == total
    assert rows.last.locator("td").inner_text() == "90"

    with page.expect_download() as download:
        page.locator(f'a[href$="/{publication.slug}/agency.csv"]').click()
    text = open(download.value.path(), encoding="utf-8-sig").read()
    assert f"{total},90," in text.splitlines()[-1]  # the header first, the total last
