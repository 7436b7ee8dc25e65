"""Ticking cases on the list and assigning a lawyer or setting a status changes each of them
through the named action, audited case by case; a case the user does not see, a lawyer of
another organisation or a role that does not edit cases changes nothing."""

from django.urls import reverse

from kuzot.audit.models import AuditEvent
from kuzot.cases.models import Case
from tests.cases.case_screens import a_case, second_lawyer


def three_cases(world) -> list[Case]:
    return [a_case(world, name=f"Person {n}", reference=f"KG-{n}") for n in range(3)]


def test_a_coordinator_assigns_a_lawyer_and_sets_a_status_on_ticked_cases(world, signed_in):
    first, second, third = three_cases(world)
    lawyer = second_lawyer(world)
    client = signed_in("a-coordinator")
    assert 'id="bulk"' in client.get(reverse("cases")).content.decode()
    response = client.post(
        reverse("cases_bulk"),
        {
            "cases": [first.pk, third.pk],
            "assigned_lawyer": lawyer.pk,
            "status": "monitoring",
            "next": "/cases/?year=2024",
        },
    )
    assert response.status_code == 302 and response.url == "/cases/?year=2024"
    for case in (first, second, third):
        case.refresh_from_db()
    assert first.assigned_lawyer == lawyer and first.status == "monitoring"
    assert third.assigned_lawyer == lawyer and third.status == "monitoring"
    assert second.assigned_lawyer is None and second.status == "open"
    updates = AuditEvent.objects.filter(action="update", object_type="cases.case")
    assert sorted(int(e.object_id) for e in updates) == [first.pk, third.pk]
    page = client.get(response.url).content.decode()
    assert "2 cases are changed." in page


def test_nothing_changes_without_a_choice_or_for_a_case_out_of_sight(world, signed_in):
    first, second, _ = three_cases(world)
    hidden = a_case(world, reference="KG-S", confidentiality="strict", by="coordinator")
    client = signed_in("a-lawyer")
    response = client.post(reverse("cases_bulk"), {"cases": [first.pk]}, follow=True)
    assert "Choose a lawyer to assign or a status to set." in response.content.decode()
    client.post(reverse("cases_bulk"), {"cases": [first.pk, hidden.pk], "status": "closed"})
    assert not Case.objects.filter(status="closed").exists()
    # A lawyer of another organisation cannot be assigned.
    client.post(
        reverse("cases_bulk"),
        {"cases": [first.pk], "assigned_lawyer": world.user("b-lawyer").pk},
    )
    first.refresh_from_db()
    assert first.assigned_lawyer is None
    assert not AuditEvent.objects.filter(action="update", object_type="cases.case").exists()


def test_roles_that_do_not_edit_cases_get_no_bulk_form(world, signed_in):
    (first, *_) = three_cases(world)
    for role in ("analyst", "doctor"):
        client = signed_in(f"a-{role}")
        assert 'id="bulk"' not in client.get(reverse("cases")).content.decode()
        response = client.post(reverse("cases_bulk"), {"cases": [first.pk], "status": "closed"})
        assert response.status_code == 403
    first.refresh_from_db()
    assert first.status == "open"
