"""A step of the legal path entered by mistake: the case page asks before deleting it, the
stage follows, and the step can be put back from the case's history."""

from datetime import date

from django.urls import reverse

from kuzot.audit.models import AuditEvent
from kuzot.cases.actions import delete_legal_event, record_legal_event
from kuzot.cases.corrections import restore
from kuzot.cases.models import Case, LegalEvent, Revision, Stage
from tests.cases.case_screens import a_case


def test_deleting_and_putting_back_a_step_derives_the_stage_again(world):
    lawyer, vault = world.user("a-lawyer"), world.vault("a")
    case = a_case(world)
    record_legal_event(lawyer, vault, case, kind="complaint_lodged", date=date(2024, 3, 5))
    wrong = record_legal_event(
        lawyer, vault, case, kind="criminal_case_opened", date=date(2024, 4, 1), notes="№ 12"
    )
    wrong_pk = wrong.pk
    revision = delete_legal_event(lawyer, wrong)
    case.refresh_from_db()
    assert case.stage == Stage.COMPLAINT_LODGED and case.criminal_case_on is None
    assert revision.case == case and revision.change == Revision.Change.DELETED

    restore(lawyer, revision)
    case.refresh_from_db()
    assert case.stage == Stage.CRIMINAL_CASE and case.criminal_case_on == date(2024, 4, 1)
    assert LegalEvent.objects.get(pk=wrong_pk).notes is not None


def test_the_page_asks_before_deleting_and_offers_the_way_back(world, signed_in):
    lawyer, vault = world.user("a-lawyer"), world.vault("a")
    case = a_case(world)
    step = record_legal_event(lawyer, vault, case, kind="complaint_lodged", date=date(2024, 3, 5))
    client = signed_in("a-lawyer")
    url = reverse("delete_event", args=[case.pk, step.pk])
    page = client.get(url).content.decode()
    assert "complaint lodged" in page and "Delete" in page
    assert LegalEvent.objects.filter(pk=step.pk).exists()  # asking deletes nothing

    response = client.post(url, follow=True)
    assert not LegalEvent.objects.exists()
    assert Case.objects.get(pk=case.pk).stage == Stage.DOCUMENTED
    page = response.content.decode()
    revision = Revision.objects.get()
    assert reverse("restore_revision", args=[revision.pk]) in page

    response = client.post(reverse("restore_revision", args=[revision.pk]), follow=True)
    assert response.status_code == 200
    assert Case.objects.get(pk=case.pk).stage == Stage.COMPLAINT_LODGED
    history = client.get(reverse("case_history", args=[case.pk])).content.decode()
    assert "a-lawyer" in history and "complaint lodged" in history
    assert AuditEvent.objects.filter(action="delete", object_type="cases.legalevent").exists()


def test_another_organisation_cannot_put_a_step_back(world, signed_in):
    case = a_case(world)
    step = record_legal_event(
        world.user("a-lawyer"), world.vault("a"), case, kind="complaint_lodged",
        date=date(2024, 3, 5),
    )  # fmt: skip
    revision = delete_legal_event(world.user("a-lawyer"), step)
    response = signed_in("b-lawyer").post(reverse("restore_revision", args=[revision.pk]))
    assert response.status_code == 404
    assert not LegalEvent.objects.exists()


def test_correcting_a_step_derives_the_stage_again_and_keeps_the_earlier_values(world, signed_in):
    lawyer, vault = world.user("a-lawyer"), world.vault("a")
    case = a_case(world)
    step = record_legal_event(
        lawyer, vault, case, kind="complaint_lodged", date=date(2024, 3, 5), notes="в прокуратуру"
    )
    client = signed_in("a-lawyer")
    url = reverse("edit_event", args=[case.pk, step.pk])
    page = client.get(url).content.decode()
    assert 'value="2024-03-05"' in page and "в прокуратуру" in page
    response = client.post(
        url, {"kind": "criminal_case_opened", "date": "2024-04-02", "notes": "в прокуратуру"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.stage == Stage.CRIMINAL_CASE and case.criminal_case_on == date(2024, 4, 2)
    assert case.complaint_on is None
    revision = Revision.objects.get()
    assert revision.fields == ["date", "kind"]
    assert revision.clear == {"date": "2024-03-05", "kind": "complaint_lodged"}
    page = client.get(reverse("case", args=[case.pk])).content.decode()
    assert "changed by a-lawyer" in page
    history = client.get(reverse("case_history", args=[case.pk])).content.decode()
    assert "complaint lodged" in history and "2024-03-05" in history
