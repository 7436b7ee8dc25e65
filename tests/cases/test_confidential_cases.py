"""Strictly confidential cases: only the assigned lawyer and the coordinator see them."""

from django.test import Client
from django.urls import reverse

from tests.cases.case_screens import a_case, second_lawyer
from tests.conftest import sign_in


def test_a_strict_case_is_seen_by_its_lawyer_and_the_coordinator_only(world, signed_in):
    strict = a_case(
        world,
        name="Скрытый Человек",
        reference="KG-STRICT",
        confidentiality="strict",
        assigned_lawyer=world.user("a-lawyer"),
    )
    normal = a_case(world, name="Обычный", reference="KG-NORMAL")
    for reader in ("a-lawyer", "a-coordinator"):
        client = signed_in(reader)
        assert client.get(reverse("case", args=[strict.pk])).status_code == 200
        listing = client.get(reverse("cases")).content.decode()
        assert "KG-STRICT" in listing and "Скрытый Человек" in listing
    others = [signed_in(f"a-{role}") for role in ("monitor", "doctor", "analyst")]
    others.append(sign_in(Client(), second_lawyer(world)))
    for client in others:
        for name in ("case", "edit_case", "new_event", "record_consent"):
            status = client.get(reverse(name, args=[strict.pk])).status_code
            assert status in (403, 404), name
        assert client.get(reverse("case", args=[strict.pk])).status_code == 404
        listing = client.get(reverse("cases")).content.decode()
        assert "KG-STRICT" not in listing and "Скрытый" not in listing
        assert "KG-NORMAL" in listing
        assert client.get(reverse("case", args=[normal.pk])).status_code == 200


def test_a_strict_case_is_not_counted_on_others_home_pages(world, signed_in):
    a_case(world, confidentiality="strict", assigned_lawyer=world.user("a-lawyer"))
    a_case(world, name="Обычный")
    assert signed_in("a-monitor").get(reverse("home")).context["counts"]["open"] == 1
    assert signed_in("a-coordinator").get(reverse("home")).context["counts"]["open"] == 2
    counts = signed_in("a-lawyer").get(reverse("home")).context["counts"]
    assert counts == {"open": 2, "mine": 1}
