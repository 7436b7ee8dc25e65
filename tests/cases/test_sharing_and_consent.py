"""Sharing a case with another member organisation: only with the person's sharing consent
in force; the other organisation opens the snapshot (audited); a revoked share is gone."""

from datetime import date

from django.urls import reverse

from kuzot.audit.models import AuditEvent
from kuzot.cases.actions import add_allegation, record_legal_event
from kuzot.cases.models import CaseShare
from tests.cases.case_screens import a_case, term

REFUSAL = "has not consented to sharing"


def share(client, case, world):
    return client.post(reverse("share_case", args=[case.pk]), {"organisation": world.orgs["b"].pk})


def test_no_share_without_the_sharing_consent(world, signed_in):
    case = a_case(world)
    client = signed_in("a-lawyer")
    page = client.get(reverse("share_case", args=[case.pk])).content.decode()
    assert "is not in force" in page
    response = share(client, case, world)
    assert response.status_code == 200 and REFUSAL in response.content.decode()
    assert not CaseShare.objects.exists()


def test_withdrawn_consent_blocks_sharing(world, signed_in):
    case = a_case(world)
    client = signed_in("a-coordinator")
    for given, day in (("yes", "2024-03-02"), ("no", "2024-03-05")):
        response = client.post(
            reverse("record_consent", args=[case.pk]),
            {"scope": "sharing", "given": given, "when": day, "manner": "written"},
        )
        assert response.status_code == 302
    response = share(client, case, world)
    assert REFUSAL in response.content.decode() and not CaseShare.objects.exists()


def test_the_other_organisation_opens_the_shared_case_audited(world, signed_in):
    lawyer, vault = world.user("a-lawyer"), world.vault("a")
    case = a_case(
        world,
        name="Гулнара Мамытова",
        reference="KG-2024-0042",
        consents={"sharing": (True, date(2024, 3, 1), "written")},
    )
    add_allegation(
        lawyer,
        vault,
        case,
        date=date(2024, 2, 1),
        act_types=[term("act_type", "beating")],
        description="Избита в ИВС",
    )
    record_legal_event(
        lawyer,
        vault,
        case,
        kind="complaint_lodged",
        date=date(2024, 2, 5),
        notes="Жалоба в прокуратуру",
    )
    response = share(signed_in("a-lawyer"), case, world)
    assert response.status_code == 302
    shared = CaseShare.objects.get()
    assert b"Mamytova" not in bytes(shared.snapshot) and "Гулнара".encode() not in bytes(
        shared.snapshot
    )
    other = signed_in("b-lawyer")
    listing = other.get(reverse("shared")).content.decode()
    assert "KG-2024-0042" in listing
    html = other.get(reverse("shared_case", args=[shared.pk])).content.decode()
    assert "Гулнара Мамытова" in html and "Beating" in html and "Избита в ИВС" in html
    assert "complaint lodged" in html and "Жалоба в прокуратуру" in html
    assert AuditEvent.objects.filter(
        actor=world.user("b-lawyer"), action="view_identity", object_id=str(case.pk)
    ).exists()
    # Not for the sharing organisation's own list, nor for analysts.
    assert signed_in("a-lawyer").get(reverse("shared_case", args=[shared.pk])).status_code == 404
    assert signed_in("b-analyst").get(reverse("shared_case", args=[shared.pk])).status_code == 403


def test_a_revoked_share_is_gone(world, signed_in):
    case = a_case(world, consents={"sharing": (True, date(2024, 3, 1), "written")})
    client = signed_in("a-lawyer")
    share(client, case, world)
    shared = CaseShare.objects.get()
    assert "Organisation B" in client.get(reverse("case", args=[case.pk])).content.decode()
    response = client.post(reverse("revoke_share", args=[case.pk, shared.pk]))
    assert response.status_code == 302
    shared.refresh_from_db()
    assert shared.revoked_at is not None and bytes(shared.snapshot) == b""
    other = signed_in("b-lawyer")
    assert other.get(reverse("shared_case", args=[shared.pk])).status_code == 404
    assert case.reference not in other.get(reverse("shared")).content.decode()
    assert client.post(reverse("revoke_share", args=[case.pk, shared.pk])).status_code == 404


def test_only_coordinators_and_lawyers_share_and_only_within_the_coalition(world, signed_in):
    case = a_case(world, consents={"sharing": (True, date(2024, 3, 1), "written")})
    for role in ("monitor", "doctor", "analyst"):
        assert share(signed_in(f"a-{role}"), case, world).status_code == 403
    response = signed_in("a-lawyer").post(
        reverse("share_case", args=[case.pk]), {"organisation": world.orgs["a"].pk}
    )
    assert response.status_code == 200 and not CaseShare.objects.exists()
