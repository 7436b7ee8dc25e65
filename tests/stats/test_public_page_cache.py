"""The public page is rendered once, yet every visitor gets a language form with their own
CSRF token, and nobody else's message."""

import re

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpRequest
from django.test import Client
from django.urls import reverse

from kuzot.stats.actions import publish


@pytest.fixture
def publication(world, ninety_acts):
    return publish(
        world.user("a-coordinator"),
        title="Kyrgyzstan 2021-2023",
        coalition_wide=False,
        year_from=2021,
        year_to=2023,
        tables=["year_country", "agency"],
    )


def switch_language(client: Client, page: str) -> int:
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    return client.post(
        reverse("set_language"),
        {"csrfmiddlewaretoken": token, "language": "ru", "next": "/"},
    ).status_code


def test_each_visitor_of_the_cached_page_can_switch_language(publication):
    page = reverse("public_publication", args=[publication.slug])
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first_page = first.get(page).content.decode()
    second_page = second.get(page).content.decode()
    assert "kuzot-csrf-placeholder" not in second_page
    assert switch_language(first, first_page) == 302
    assert switch_language(second, second_page) == 302


def test_a_message_reaches_only_its_visitor(world, publication):
    # A visitor with a message waiting (as a language switch leaves) gets a page of their own.
    page = reverse("public_publication", args=[publication.slug])
    visitor = Client()
    visitor.cookies["messages"] = CookieStorage(HttpRequest())._encode(
        [Message(constants.SUCCESS, "Published.")]
    )
    assert "Published." in visitor.get(page).content.decode()
    assert "Published." not in Client().get(page).content.decode()
