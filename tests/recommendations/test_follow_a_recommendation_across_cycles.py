"""A monitor follows CAT's recommendation to Tajikistan from CO/2 through CO/3 to the follow-up:
one thread, oldest first, each with its assessments; a probable repeat is offered to confirm."""

from datetime import date

import pytest
from django.urls import reverse

from kuzot.recommendations import actions
from kuzot.recommendations.models import Assessment, Recommendation, Status


def save(user, symbol: str, paragraph: str, when: date, text: str) -> Recommendation:
    found, _outcome = actions.save_recommendation(
        user,
        {
            "symbol": symbol,
            "mechanism": "cat",
            "country": "TJ",
            "date": when,
            "paragraph": paragraph,
            "text": text,
            "themes": ["Impunity"],
        },
    )
    return found


IMPUNITY = "act urgently to combat a culture of impunity and prosecute the perpetrators of torture"


@pytest.fixture
def cycles(world):
    monitor = world.user("a-monitor")
    co2 = save(
        monitor, "CAT/C/TJK/CO/2", "9", date(2013, 1, 21), f"The State party should {IMPUNITY}."
    )
    co3 = save(
        monitor,
        "CAT/C/TJK/CO/3",
        "8",
        date(2018, 6, 18),
        f"The Committee reiterates its recommendation (see CAT/C/TJK/CO/2, para. 9) that the "
        f"State party should {IMPUNITY}.",
    )
    follow_up = save(
        monitor,
        "CAT/C/TJK/Q/4",
        "10",
        date(2025, 5, 23),
        f"Please provide information on the measures taken to {IMPUNITY}.",
    )
    save(monitor, "CAT/C/TJK/CO/2", "15", date(2013, 1, 21), "Ratify the Optional Protocol.")
    return co2, co3, follow_up


def test_the_page_shows_the_thread_in_order_with_its_assessments(world, cycles, signed_in):
    co2, co3, follow_up = cycles
    monitor = world.user("a-monitor")
    actions.link_repeat(monitor, co3, co2)
    actions.link_repeat(monitor, follow_up, co3)
    actions.record_assessment(
        monitor,
        world.vault("a"),
        co2,
        status=Status.NOT_IMPLEMENTED,
        assessor=Assessment.Assessor.BODY,
        date=date(2018, 6, 18),
        source="CAT/C/TJK/CO/3, para. 7",
        evidence="89 complaints, 4 persons convicted under art. 143(1).",
        public=True,
    )
    actions.record_assessment(
        monitor,
        world.vault("a"),
        follow_up,
        status=Status.PARTIAL,
        assessor=Assessment.Assessor.BODY,
        date=date(2025, 5, 23),
        source="CAT/C/TJK/Q/4",
    )
    lawyer, analyst = signed_in("a-lawyer"), signed_in("a-analyst")
    for shown in (co2, co3, follow_up):
        page = lawyer.get(reverse("recommendation", args=[shown.pk]))
        text = page.content.decode()
        thread = text[text.index('id="thread-h"') : text.index('id="evidence-h"')]
        positions = [thread.index(s) for s in ("CAT/C/TJK/CO/2", "CAT/C/TJK/CO/3", "CAT/C/TJK/Q/4")]
        assert positions == sorted(positions)
        assert thread.index("not implemented") < thread.index("partially implemented")
        assert "89 complaints" in thread and "para. 15" not in thread
        # Analysts read the thread and the grades; the evidence is sealed under the key.
        seen = analyst.get(reverse("recommendation", args=[shown.pk])).content.decode()
        assert "CAT/C/TJK/Q/4" in seen and "partially implemented" in seen
        assert "89 complaints" not in seen
    stored = Assessment.objects.get(recommendation=co2).evidence
    assert b"89 complaints" not in bytes(stored)


def test_a_probable_repeat_is_offered_and_confirmed(world, cycles, signed_in):
    co2, co3, _follow_up = cycles
    client = signed_in("a-lawyer")
    page = client.get(reverse("recommendation", args=[co3.pk])).content.decode()
    assert reverse("link_repeat", args=[co3.pk]) in page
    form = client.get(reverse("link_repeat", args=[co3.pk])).content.decode()
    assert "CAT/C/TJK/CO/2, para. 9" in form and "para. 15" not in form
    done = client.post(reverse("link_repeat", args=[co3.pk]), {"earlier": co2.pk})
    assert done.status_code == 302
    co3.refresh_from_db()
    assert co3.repeats == co2


def test_a_thread_never_loops(world, cycles):
    co2, co3, _follow_up = cycles
    monitor = world.user("a-monitor")
    actions.link_repeat(monitor, co3, co2)
    with pytest.raises(actions.Invalid):
        actions.link_repeat(monitor, co2, co3)
    with pytest.raises(actions.Invalid):
        actions.link_repeat(monitor, co2, co2)
