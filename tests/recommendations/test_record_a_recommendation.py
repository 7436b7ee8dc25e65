"""A monitor records a recommendation by hand, with its document, and edits it; the form keeps
what was typed when something is refused."""

from django.urls import reverse

from kuzot.audit.models import AuditEvent
from kuzot.recommendations.models import Document, Position, Recommendation

FORM = {
    "symbol": "CAT/C/UZB/CO/5",
    "mechanism": "cat",
    "country": "UZ",
    "cycle": "5th periodic report",
    "date": "2020-01-14",
    "link": "https://docstore.ohchr.org/",
    "paragraph": "6",
    "text": "Ensure prompt, impartial and effective investigations by a fully independent body.",
    "language": "en",
    "text_ru": "Обеспечить оперативные, беспристрастные и эффективные расследования.",
    "themes": "Impunity; Torture and other cruel, inhuman or degrading treatment",
    "follow_up": "on",
    "follow_up_deadline": "2020-12-06",
    "position": "supported",
    "position_wording": "The Government accepts the recommendation.",
}


def test_a_monitor_records_and_edits_a_recommendation(world, signed_in):
    client = signed_in("a-monitor")
    response = client.post(reverse("new_recommendation"), FORM)
    assert response.status_code == 302, response.content.decode()[:2000]
    found = Recommendation.objects.get()
    assert (found.document.symbol, found.paragraph, found.position) == (
        "CAT/C/UZB/CO/5", "6", Position.SUPPORTED
    )  # fmt: skip
    assert found.follow_up and str(found.follow_up_deadline) == "2020-12-06"
    assert sorted(found.themes.values_list("name", flat=True)) == [
        "Impunity", "Torture and other cruel, inhuman or degrading treatment"
    ]  # fmt: skip
    assert AuditEvent.objects.filter(object_type="recommendations.recommendation").count() == 1

    page = client.get(reverse("edit_recommendation", args=[found.pk])).content.decode()
    assert 'value="CAT/C/UZB/CO/5"' in page and "Impunity; Torture" in page
    edited = client.post(
        reverse("edit_recommendation", args=[found.pk]), {**FORM, "position": "noted"}
    )
    assert edited.status_code == 302
    found.refresh_from_db()
    assert found.position == Position.NOTED and Recommendation.objects.count() == 1


def test_a_document_of_another_country_is_refused_and_the_input_kept(world, signed_in):
    client = signed_in("a-lawyer")
    client.post(reverse("new_recommendation"), FORM)
    response = client.post(
        reverse("new_recommendation"), {**FORM, "country": "KG", "paragraph": "7"}
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "CAT/C/UZB/CO/5 is a document of Uzbekistan." in text
    assert 'value="7"' in text
    assert Recommendation.objects.count() == 1 and Document.objects.get().country == "UZ"


def test_the_same_paragraph_twice_is_refused(world, signed_in):
    client = signed_in("a-lawyer")
    client.post(reverse("new_recommendation"), FORM)
    second = client.post(reverse("new_recommendation"), {**FORM, "paragraph": "8"})
    assert second.status_code == 302
    other = Recommendation.objects.get(paragraph="8")
    response = client.post(reverse("edit_recommendation", args=[other.pk]), FORM)
    assert "CAT/C/UZB/CO/5, para. 6 is already recorded." in response.content.decode()
