"""Accepting a complaint keeps what the complainant said: when, where and who become the case's
act; a consent the form never asked about is recorded as not asked, not as refused; and the
recipients read the complaint's answers as labels in their language, not stored codes."""

import re
from datetime import date

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from kuzot.accounts.vault import sealed_context
from kuzot.cases.models import Allegation, Case, Consent, Term
from kuzot.intake.models import Submission
from tests.intake.conftest import complain


def police() -> Term:
    return Term.objects.get(vocabulary="agency", code="police", organisation=None)


def accepted(signed_in, **fields) -> Case:
    complain(Client(), victim_name="Азимжан Аскаров", **fields)
    submission = Submission.objects.get()
    signed_in("a-coordinator").post(reverse("submission_accept", args=[submission.pk]))
    return Case.objects.get()


def opened(world, act: Allegation, name: str) -> str:
    return world.vault("a").open(getattr(act, name), sealed_context(Allegation, name))


def test_when_where_and_who_become_the_cases_act(world, signed_in):
    case = accepted(
        signed_in,
        when="03.2024",
        where="Osh, the city police station, room 12",
        agency=str(police().pk),
        unit="Major Ivanov",
    )
    act = case.allegations.get()
    assert act.victim == case.parties.get().person
    assert (act.date, act.date_precision) == (date(2024, 3, 1), "month")
    assert act.agency == police()
    assert [t.code for t in act.act_types.all()] == ["other"]  # until a lawyer classifies it
    assert opened(world, act, "district") == "Osh, the city police station, room 12"
    assert opened(world, act, "unit") == "Major Ivanov"
    described = opened(world, act, "description")
    assert "03.2024" in described and "room 12" in described
    assert b"Ivanov" not in bytes(act.unit)


@pytest.mark.parametrize(
    "when, expected",
    [
        ("12.05.2023", (date(2023, 5, 12), "day")),
        ("весной 2023 года", (date(2023, 1, 1), "year")),
        ("last week", (None, "year")),  # the complaint's own year
    ],
)
def test_the_acts_date_is_read_from_the_complainants_words(world, signed_in, when, expected):
    act = accepted(signed_in, when=when).allegations.get()
    received = Submission.objects.get().received_on
    day = expected[0] or date(received.year, 1, 1)
    assert (act.date, act.date_precision) == (day, expected[1])
    assert when in opened(world, act, "description")


def test_a_complaint_that_says_nothing_of_when_where_or_who_makes_no_act(world, signed_in):
    assert not accepted(signed_in).allegations.exists()


def test_a_consent_never_asked_is_recorded_as_not_asked(world, signed_in):
    case = accepted(signed_in, consent=["documentation", "statistics"])
    answers = {c.scope: c.given for c in case.consents.all()}
    assert answers[Consent.Scope.DOCUMENTATION] and answers[Consent.Scope.STATISTICS]
    assert answers[Consent.Scope.PUBLICATION] is False  # asked, left unticked: refused
    assert Consent.Scope.LINKAGE not in answers  # the form never asks about matching records


def test_the_submission_page_shows_labels_in_the_readers_language(world, signed_in):
    complain(
        Client(),
        what_happened="Меня избили в отделе.",
        victim_name="Азимжан Аскаров",
        sex="M",
        agency=str(police().pk),
        medical_help="unknown",
        consent=["documentation"],
    )
    recipient = signed_in("a-coordinator")
    recipient.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    page = recipient.get(reverse("submission", args=[Submission.objects.get().pk]))
    text = re.search(r'<dl class="facts">.*?</dl>', page.content.decode(), re.S).group(0)
    assert "Милиция / полиция (МВД)" in text
    assert "Что случилось со мной" in text
    assert "Не связывайтесь со мной" in text
    assert "документирование случая" in text
    for code in ("police", "(me)", ">none", "documentation", "unknown"):
        assert code not in text, code
