"""The case page: header, consent by scope, acts, and the legal path in date order with the
derived stage; identities only for identity roles; each reading audited once."""

from datetime import date

from django.urls import reverse

from kuzot.audit.models import AuditEvent
from kuzot.cases.actions import record_consent, record_legal_event
from kuzot.cases.models import LegalEvent
from tests.cases.case_screens import a_case, term


def timeline_kinds(html: str) -> list[str]:
    section = html.split('id="timeline"', 1)[1].split("</section>", 1)[0]
    return [part.split("</strong>", 1)[0] for part in section.split('<strong class="kind">')[1:]]


def test_events_entered_in_any_order_read_in_date_order(world, signed_in):
    lawyer, vault = world.user("a-lawyer"), world.vault("a")
    case = a_case(world, assigned_lawyer=lawyer)
    for kind, when in [
        ("criminal_case_opened", date(2023, 4, 5)),
        ("complaint_lodged", date(2023, 1, 10)),
        ("appeal", date(2023, 2, 20)),
        ("complaint_refused", date(2023, 2, 1)),
    ]:
        record_legal_event(lawyer, vault, case, kind=kind, date=when, notes=f"note {kind}")
    html = signed_in("a-lawyer").get(reverse("case", args=[case.pk])).content.decode()
    assert timeline_kinds(html) == [
        "complaint lodged",
        "complaint refused registration",
        "appeal",
        "criminal case opened",
    ]
    assert '<dd id="case-stage">criminal case opened</dd>' in html
    assert "note appeal" in html and "Азамат Осмонов" in html


def test_events_added_and_deleted_through_the_forms(world, signed_in):
    case = a_case(world)
    client = signed_in("a-monitor")
    url = reverse("new_event", args=[case.pk])
    response = client.post(
        url,
        {
            "kind": "compensation_awarded",
            "date": "2024-09-09",
            "amount": "150000",
            "currency": "kgs",
            "outcome": "granted",
            "body": str(term("complaint_body", "court").pk),
            "next_date": "2030-01-01",
        },
    )
    assert response.status_code == 302
    event = LegalEvent.objects.get()
    assert event.currency == "KGS" and event.amount == 150000
    html = client.get(reverse("case", args=[case.pk])).content.decode()
    assert "compensation awarded" in timeline_kinds(html)[0]
    assert "150000.00 KGS" in html and "Court" in html
    assert '<dd id="case-stage">compensation awarded</dd>' in html
    response = client.post(reverse("delete_event", args=[case.pk, event.pk]))
    assert response.status_code == 302 and not LegalEvent.objects.exists()
    html = client.get(reverse("case", args=[case.pk])).content.decode()
    assert '<dd id="case-stage">documented</dd>' in html


def test_an_event_of_another_case_cannot_be_deleted_through_this_one(world, signed_in):
    lawyer, vault = world.user("a-lawyer"), world.vault("a")
    mine, other = a_case(world), a_case(world, name="Другой")
    event = record_legal_event(lawyer, vault, other, kind="appeal", date=date(2024, 1, 1))
    response = signed_in("a-lawyer").post(reverse("delete_event", args=[mine.pk, event.pk]))
    assert response.status_code == 404 and LegalEvent.objects.filter(pk=event.pk).exists()


def test_acts_consent_and_header(world, signed_in):
    case = a_case(world, assigned_lawyer=world.user("a-lawyer"), reprisal_risk="high")
    client = signed_in("a-lawyer")
    response = client.post(
        reverse("new_allegation", args=[case.pk]),
        {
            "date": "2024-02-01",
            "date_precision": "month",
            "act_types": [term("act_type", "beating").pk, term("act_type", "suffocation").pk],
            "region": term("region", "kg-osh").pk,
            "agency": term("agency", "police").pk,
            "unit": "ОВД Ленинского района",
            "purpose": term("purpose", "confession").pk,
            "context": term("context", "interrogation").pk,
            "description": "Пакет на голову",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    record_consent(
        world.user("a-lawyer"),
        case,
        scope="sharing",
        given=True,
        when=date(2024, 3, 2),
        manner="written",
    )
    record_consent(
        world.user("a-lawyer"),
        case,
        scope="publication",
        given=True,
        when=date(2024, 3, 2),
        manner="written",
    )
    record_consent(
        world.user("a-lawyer"),
        case,
        scope="publication",
        given=False,
        when=date(2024, 3, 9),
        manner="oral",
    )
    html = client.get(reverse("case", args=[case.pk])).content.decode()
    assert "February 2024" in html and "Beating, Suffocation (bag, gas mask)" in html
    assert "Osh" in html and "ОВД Ленинского района" in html and "To obtain a confession" in html
    assert "Пакет на голову" in html
    assert "in force" in html and "refused or withdrawn" in html and "not asked" in html
    assert "a-lawyer" in html and ">high<" in html
    analyst = signed_in("a-analyst").get(reverse("case", args=[case.pk])).content.decode()
    assert "Пакет на голову" not in analyst and "Азамат" not in analyst
    assert "Beating" in analyst


def test_reading_the_page_is_audited_with_or_without_identity(world, signed_in):
    case = a_case(world)
    signed_in("a-coordinator").get(reverse("case", args=[case.pk]))
    signed_in("a-analyst").get(reverse("case", args=[case.pk]))
    coordinator = AuditEvent.objects.get(
        actor=world.user("a-coordinator"), object_id=case.pk, object_type="cases.case"
    )
    analyst = AuditEvent.objects.get(
        actor=world.user("a-analyst"), object_id=case.pk, object_type="cases.case"
    )
    assert coordinator.action == "view_identity" and analyst.action == "view"


def test_a_foreign_or_missing_case_is_404(world, signed_in):
    foreign = a_case(world, "b", name="Чужой")
    client = signed_in("a-lawyer")
    for name in ("case", "new_event", "new_allegation", "record_consent", "edit_case"):
        assert client.get(reverse(name, args=[foreign.pk])).status_code == 404
        assert client.get(reverse(name, args=[987654])).status_code == 404
