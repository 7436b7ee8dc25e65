"""Each main screen links to a help page of its own, in the staff languages; the "strict" tag on
the case list links to its explanation."""

from datetime import date

import pytest
from django.conf import settings
from django.urls import reverse

from kuzot.cases.actions import register_case
from kuzot.help import SCREENS

HEADINGS = {"en": "Help: ", "ru": "Справка: "}
LINKS = {"en": "Help for this page", "ru": "Справка по этой странице"}


def screen_urls(world) -> dict[str, str]:
    case = register_case(world.user("a-lawyer"), world.vault("a"), intake_date=date(2024, 5, 2))
    return {
        "cases": reverse("cases"),
        "case": reverse("case", args=[case.pk]),
        "team": reverse("team"),
        "audit": reverse("audit_log"),
        "statistics": reverse("statistics"),
    }


@pytest.mark.parametrize("language", ["en", "ru"])
def test_every_screen_links_to_its_help_page(world, signed_in, language):
    urls = screen_urls(world)
    assert set(urls) == set(SCREENS)
    client = signed_in("a-coordinator")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    for screen, url in urls.items():
        help_url = reverse("help", args=[screen])
        shown = client.get(url).content.decode()
        assert f'href="{help_url}">{LINKS[language]}</a>' in shown, screen
        page = client.get(help_url)
        assert page.status_code == 200
        assert f"<h1>{HEADINGS[language]}" in page.content.decode(), screen
    assert client.get(reverse("help", args=["nothing"])).status_code == 404


def test_the_strict_tag_explains_itself(world, signed_in):
    register_case(
        world.user("a-lawyer"),
        world.vault("a"),
        intake_date=date(2024, 5, 2),
        confidentiality="strict",
        assigned_lawyer=world.user("a-lawyer"),
    )
    client = signed_in("a-lawyer")
    page = client.get(reverse("cases")).content.decode()
    assert f'href="{reverse("help", args=["cases"])}#strict"' in page
    assert 'title="Strict: only the assigned lawyer and the coordinator see the case."' in page
    help_page = client.get(reverse("help", args=["cases"])).content.decode()
    assert 'id="strict"' in help_page
    assert "only its assigned lawyer and the coordinator" in help_page
