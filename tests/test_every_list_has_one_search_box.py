"""Every list a member works through has one search box (a GET form with ``q``), and it
narrows the list: cases, people (a name, or a record number for every role), cases shared with
us, complaints (number or case reference), the team."""

import re
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from kuzot.cases.actions import register_case, register_person, share_case
from kuzot.intake.models import Submission
from tests.intake.conftest import complain

LISTS = {
    "cases": ["coordinator", "lawyer", "doctor", "monitor", "analyst"],
    "people": ["coordinator", "lawyer", "doctor", "monitor", "analyst"],
    "shared": ["coordinator", "lawyer", "doctor", "monitor"],
    "inbox": ["coordinator"],
    "team": ["coordinator"],
}


def search_forms(page: str) -> list[str]:
    return re.findall(r'<form method="get"[^>]*role="search".*?</form>', page, re.S)


@pytest.mark.parametrize("url_name", LISTS)
def test_the_list_has_one_search_box(world, signed_in, url_name):
    for role in LISTS[url_name]:
        page = signed_in(f"a-{role}").get(reverse(url_name)).content.decode()
        forms = search_forms(page)
        assert len(forms) == 1, (url_name, role)
        assert 'name="q"' in forms[0] and 'type="search"' in forms[0], (url_name, role)


def shown(client, url_name: str, query: str) -> str:
    return client.get(reverse(url_name), {"q": query}).content.decode()


def test_each_search_narrows_its_list(world, signed_in, monkeypatch):
    lawyer, vault = world.user("a-lawyer"), world.vault("a")
    aliev = register_person(lawyer, vault, full_name="Тимур Алиев")
    register_person(lawyer, vault, full_name="Эрлан Касымов")
    analyst = signed_in("a-analyst")
    row = f'href="{reverse("person", args=[aliev.pk])}"'
    assert row in shown(analyst, "people", f"P-{aliev.pk}")
    assert "Тимур" not in shown(analyst, "people", f"P-{aliev.pk}")
    assert row not in shown(analyst, "people", "Aliev")  # names: identity roles only
    coordinator = signed_in("a-coordinator")
    assert "Тимур Алиев" in shown(coordinator, "people", "Aliev")
    assert "Касымов" not in shown(coordinator, "people", "Aliev")

    case_b = register_case(
        world.user("b-lawyer"),
        world.vault("b"),
        intake_date=date(2024, 6, 1),
        consents={"sharing": (True, date(2024, 6, 1), "written")},
    )
    share_case(world.user("b-lawyer"), world.vault("b"), case_b, world.orgs["a"], {})
    assert case_b.reference in shown(coordinator, "shared", "organisation b")
    assert case_b.reference not in shown(coordinator, "shared", "KZ-1999")

    from kuzot.intake.abuse import guard

    monkeypatch.setattr(guard, "min_seconds", 0)
    complain(Client())
    complain(Client())
    first, second = Submission.objects.order_by("pk")
    found = shown(coordinator, "inbox", f"C-{first.pk}")
    assert f">C-{first.pk}<" in found and f">C-{second.pk}<" not in found

    team = shown(coordinator, "team", "doct")
    assert "a-doctor" in team and "a-monitor" not in team
