"""A user keeps the case list's filters under a name and finds them again on the list; the
search text (it may be a name) is sealed; saved filters are each user's own; deleting one is
audited like saving it."""

from django.urls import reverse

from kuzot.audit.models import AuditEvent
from kuzot.cases.models import SavedFilter
from tests.cases.test_search_the_case_list import build, refs


def test_a_lawyer_saves_filters_with_a_name_search_and_opens_them_again(world, signed_in):
    build(world)
    client = signed_in("a-coordinator")
    query = "q=Sydykov&year=2023&status=open"
    listed = client.get(f"{reverse('cases')}?{query}").content.decode()
    assert 'action="/cases/filters/"' in listed
    response = client.post(reverse("cases_save_filter"), {"name": "Sydykov 2023", "query": query})
    assert response.status_code == 302 and response.url == f"{reverse('cases')}?{query}"

    saved = SavedFilter.objects.get()
    assert saved.params == {"year": "2023", "status": "open"}
    assert b"Sydykov" not in bytes(saved.search)  # sealed
    assert AuditEvent.objects.filter(action="create", object_type="cases.savedfilter").exists()

    page = client.get(reverse("cases"))
    assert page.context["saved"] == [(saved, "status=open&year=2023&q=Sydykov")]
    assert "Sydykov 2023" in page.content.decode()
    assert refs(client.get(f"{reverse('cases')}?year=2023&status=open&q=Sydykov")) == ["KG-A"]

    # Another user does not see it, nor delete it.
    other = signed_in("a-lawyer")
    assert other.get(reverse("cases")).context["saved"] == []
    assert other.post(reverse("cases_delete_filter", args=[saved.pk])).status_code == 404

    client.post(reverse("cases_delete_filter", args=[saved.pk]))
    assert not SavedFilter.objects.exists()
    assert AuditEvent.objects.filter(action="delete", object_type="cases.savedfilter").exists()


def test_saving_needs_a_name_and_an_analyst_keeps_no_search_text(world, signed_in):
    client = signed_in("a-analyst")
    client.post(reverse("cases_save_filter"), {"name": "", "query": "year=2024"})
    assert not SavedFilter.objects.exists()
    client.post(reverse("cases_save_filter"), {"name": "2024", "query": "year=2024&q=KG-A"})
    saved = SavedFilter.objects.get()
    assert saved.params == {"year": "2024"} and saved.search is None
