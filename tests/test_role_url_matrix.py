"""Every URL the app has, for every role and for anonymous visitors: who gets what."""

import io
from datetime import date

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from PIL import Image

from kuzot.accounts.vault import sealed_context
from kuzot.cases.actions import (
    add_allegation,
    record_consent,
    record_legal_event,
    register_case,
    register_person,
    share_case,
)
from kuzot.cases.evidence import store_evidence
from kuzot.cases.models import PendingImport, PlaceOfDetention, Term
from kuzot.cases.places import add_term, create_place
from kuzot.intake.actions import Upload, open_as_submitter, submit
from kuzot.jobs.models import Job
from kuzot.monitoring.actions import add_finding, plan_visit
from kuzot.recommendations.actions import link_case, save_recommendation
from kuzot.stats.actions import publish
from tests.conftest import sign_in

ROLES = ["anonymous", "admin", "coordinator", "lawyer", "doctor", "monitor", "analyst"]
ORG_ROLES = ["coordinator", "lawyer", "doctor", "monitor", "analyst"]
IDENTITY_ROLES = ["coordinator", "lawyer", "doctor", "monitor"]
CASE_EDITORS = ["coordinator", "lawyer", "monitor"]


def expect(default: int, **by_role: int) -> dict[str, int]:
    return {role: by_role.get(role, default) for role in ROLES}


def staff_page(allowed: list[str], ok: int = 200) -> dict[str, int]:
    """Anonymous → login; allowed roles → ok; everyone else → 403."""
    return expect(403, anonymous=302, **dict.fromkeys(allowed, ok))


def recipient_only(ok: int) -> dict[str, int]:
    """The coordinator receives complaints; other identity roles are not recipients (404)."""
    return {**staff_page(IDENTITY_ROLES, ok=404), "coordinator": ok}


IMPORTERS = ["coordinator", "lawyer"]


def owner_only(ok: int) -> dict[str, int]:
    """An import is its uploader's own: the other importer role gets 404."""
    return {**staff_page(IMPORTERS, ok=404), "lawyer": ok}


def own_import(w) -> list[int]:
    """A finished import of a-lawyer's, with a rejected row."""
    if not hasattr(w, "pending_import"):
        w.pending_import = PendingImport.objects.create(
            organisation=w.orgs["a"],
            user=w.user("a-lawyer"),
            status=PendingImport.Status.IMPORTED,
            failed=1,
            rejected=w.vault("a").seal_bytes(
                b"line,reason\n2,x\n", sealed_context(PendingImport, "rejected")
            ),
        )
    return [w.pending_import.pk]


def own_job(w) -> list[int]:
    """A finished job of a-lawyer's that made a file: its owner's only (404 for anyone else)."""
    if not hasattr(w, "job"):
        w.job = Job.objects.create(
            owner=w.user("a-lawyer"),
            organisation=w.orgs["a"],
            kind="report",
            status=Job.Status.DONE,
            output=b"%PDF-1.7",
            output_name="kuzot-report-2024.pdf",
            output_type="application/pdf",
        )
    return [w.job.pk]


# url name → (arguments built from the fixture, expected status by role) for a GET request.
MATRIX = {
    "home": (None, expect(200, anonymous=302, admin=302)),
    "healthz": (None, expect(200)),
    "help": (lambda w: ["cases"], expect(200, anonymous=302)),
    "set_language": (None, expect(302)),
    "login": (None, expect(200)),
    "login_totp": (None, expect(302)),
    "totp_setup": (None, expect(302)),
    "logout": (None, expect(405)),
    "password_change": (None, expect(200, anonymous=302)),
    "accept_invitation": (lambda w: ["not-a-token"], expect(404)),
    "recovery_key": (None, expect(302)),
    "withdraw_invitation": (lambda w: [1], staff_page(["coordinator", "admin"], ok=405)),
    "team": (None, staff_page(["coordinator"])),
    "invite": (None, staff_page(["coordinator"], ok=405)),
    "reset_password": (lambda w: [w.user("a-lawyer").pk], staff_page(["coordinator"])),
    "reset_two_factor": (lambda w: [w.user("a-lawyer").pk], staff_page(["coordinator"], ok=405)),
    "remove_member": (lambda w: [w.user("a-lawyer").pk], staff_page(["coordinator"])),
    # an active member: nothing to reactivate
    "reactivate_member": (lambda w: [w.user("a-lawyer").pk], staff_page(["coordinator"], ok=404)),
    "organisations": (None, staff_page(["admin"])),
    "invite_first_coordinator": (lambda w: [w.orgs["a"].pk], staff_page(["admin"], ok=405)),
    "audit_log": (None, staff_page(["coordinator"])),
    "audit_export": (None, staff_page(["coordinator"])),
    "audit_checkpoint": (None, staff_page(["coordinator"], ok=405)),
    "audit_check": (None, staff_page(["coordinator"], ok=405)),
    "people": (None, staff_page(ORG_ROLES)),
    "translations": (None, staff_page(["coordinator"])),
    "new_person": (None, staff_page(IDENTITY_ROLES)),
    "person": (lambda w: [w.person.pk], staff_page(ORG_ROLES)),
    "edit_person": (lambda w: [w.person.pk], staff_page(IDENTITY_ROLES)),
    "merge_person": (lambda w: [w.person.pk], staff_page(CASE_EDITORS)),
    "person_history": (lambda w: [w.person.pk], staff_page(ORG_ROLES)),
    "upload_evidence": (lambda w: [w.case.pk], staff_page(IDENTITY_ROLES, ok=405)),
    "evidence_original": (lambda w: [w.evidence.pk], staff_page(IDENTITY_ROLES)),
    "evidence_stripped": (lambda w: [w.evidence.pk], staff_page(IDENTITY_ROLES)),
    "cases": (None, staff_page(ORG_ROLES)),
    "new_case": (None, staff_page(CASE_EDITORS)),
    "cases_bulk": (None, staff_page(CASE_EDITORS, ok=405)),
    "cases_save_filter": (None, staff_page(ORG_ROLES, ok=405)),
    "cases_delete_filter": (lambda w: [1], staff_page(ORG_ROLES, ok=405)),
    "case": (lambda w: [w.case.pk], staff_page(ORG_ROLES)),
    "edit_case": (lambda w: [w.case.pk], staff_page(CASE_EDITORS)),
    "new_allegation": (lambda w: [w.case.pk], staff_page(CASE_EDITORS)),
    "new_event": (lambda w: [w.case.pk], staff_page(CASE_EDITORS)),
    "edit_event": (lambda w: [w.case.pk, w.event.pk], staff_page(CASE_EDITORS)),
    "delete_event": (lambda w: [w.case.pk, w.event.pk], staff_page(CASE_EDITORS)),
    "edit_allegation": (lambda w: [w.case.pk, w.allegation.pk], staff_page(CASE_EDITORS)),
    "delete_allegation": (lambda w: [w.case.pk, w.allegation.pk], staff_page(CASE_EDITORS)),
    "case_history": (lambda w: [w.case.pk], staff_page(ORG_ROLES)),
    "restore_revision": (lambda w: [1], staff_page(CASE_EDITORS, ok=405)),
    "places": (None, staff_page(ORG_ROLES)),
    "new_place": (None, staff_page(["coordinator"])),
    "place": (lambda w: [w.place.pk], staff_page(ORG_ROLES)),
    "edit_place": (lambda w: [w.place.pk], staff_page(["coordinator"])),
    "vocabularies": (None, staff_page(["coordinator"])),
    "edit_term": (lambda w: [w.term.pk], staff_page(["coordinator"])),
    "record_consent": (lambda w: [w.case.pk], staff_page(CASE_EDITORS)),
    "new_medical": (lambda w: [w.case.pk], staff_page(["doctor"])),
    "share_case": (lambda w: [w.case.pk], staff_page(["coordinator", "lawyer"])),
    "revoke_share": (
        lambda w: [w.case.pk, w.share.pk],
        staff_page(["coordinator", "lawyer"], ok=405),
    ),
    "shared": (None, staff_page(IDENTITY_ROLES)),
    "shared_case": (lambda w: [w.shared.pk], staff_page(IDENTITY_ROLES)),
    "import_upload": (None, staff_page(IMPORTERS)),
    "import_map": (own_import, owner_only(302)),
    "import_check": (own_import, owner_only(302)),
    "import_run": (own_import, staff_page(IMPORTERS, ok=405)),
    "import_result": (own_import, owner_only(200)),
    "import_rejected": (own_import, owner_only(200)),
    "import_dismiss": (own_import, staff_page(IMPORTERS, ok=405)),
    "case_export_csv": (None, staff_page(ORG_ROLES)),
    "case_export_xlsx": (None, staff_page(ORG_ROLES)),
    "statistics": (None, staff_page(ORG_ROLES)),
    "publications": (None, staff_page(["coordinator"])),
    "report": (lambda w: [2024], staff_page(["coordinator", "analyst"])),
    "hidden_figure": (None, staff_page(["coordinator", "analyst"])),
    "jobs": (None, expect(200, anonymous=302)),
    "job": (own_job, {**expect(404, anonymous=302), "lawyer": 200}),
    "job_output": (own_job, {**expect(404, anonymous=302), "lawyer": 200}),
    "hidden_figure_review": (None, staff_page(["coordinator"])),
    "public_index": (None, expect(200)),
    "public_publication": (lambda w: [w.publication.slug], expect(200)),
    "public_csv": (lambda w: [w.publication.slug, "agency"], expect(200)),
    "public_xlsx": (lambda w: [w.publication.slug, "agency"], expect(200)),
    "public_chart": (lambda w: [w.publication.slug, "agency"], expect(200)),
    # The public complaint pages answer everyone; the inbox only its recipients.
    "complaint": (None, expect(200)),
    "organisation_complaint": (lambda w: ["a"], expect(200)),
    "complaint_receipt_file": (None, expect(405)),
    "complaint_follow_up": (None, expect(200)),
    "complaint_conversation": (None, expect(302)),
    "complaint_forget": (None, expect(302)),  # no complaint open: to the receipt form
    "inbox": (None, staff_page(IDENTITY_ROLES)),
    "submission": (lambda w: [w.submission.pk], recipient_only(200)),
    "submission_ask": (lambda w: [w.submission.pk], staff_page(IDENTITY_ROLES, ok=405)),
    "submission_accept": (lambda w: [w.submission.pk], staff_page(IDENTITY_ROLES, ok=405)),
    "submission_duplicate": (lambda w: [w.submission.pk], staff_page(IDENTITY_ROLES, ok=405)),
    "submission_reject": (lambda w: [w.submission.pk], staff_page(IDENTITY_ROLES, ok=405)),
    "submission_postpone": (lambda w: [w.submission.pk], staff_page(IDENTITY_ROLES, ok=405)),
    "visits": (None, staff_page(IDENTITY_ROLES)),
    "plan_visit": (None, staff_page(IDENTITY_ROLES)),
    "visit": (lambda w: [w.visit.pk], staff_page(IDENTITY_ROLES)),
    "record_visit": (lambda w: [w.visit.pk], staff_page(IDENTITY_ROLES)),
    "new_interview": (lambda w: [w.visit.pk], staff_page(IDENTITY_ROLES)),
    "new_finding": (lambda w: [w.visit.pk], staff_page(IDENTITY_ROLES)),
    "finding_case": (lambda w: [w.finding.pk], staff_page(IDENTITY_ROLES, ok=405)),
    "visit_checklist": (None, staff_page(IDENTITY_ROLES)),
    "visit_recommend": (lambda w: [w.visit.pk], staff_page(IDENTITY_ROLES, ok=405)),
    "visit_assess": (
        lambda w: [w.visit.pk, w.recommendation.pk], staff_page(IDENTITY_ROLES, ok=405)
    ),
    "import_submission": (lambda w: [w.visit.pk], staff_page(IDENTITY_ROLES, ok=405)),
    # Recommendations: public texts every member reads; analysts see no case reference.
    "recommendations": (None, staff_page(ORG_ROLES)),
    "new_recommendation": (None, staff_page(CASE_EDITORS)),
    "import_recommendations": (None, staff_page(["coordinator"])),
    "follow_up_calendar": (None, staff_page(ORG_ROLES)),
    "follow_up_report": (None, staff_page(ORG_ROLES)),
    "recommendation_matrix": (None, staff_page(ORG_ROLES)),
    "export_recommendations": (lambda w: ["xlsx"], staff_page(ORG_ROLES)),
    "recommendation": (lambda w: [w.recommendation.pk], staff_page(ORG_ROLES)),
    "edit_recommendation": (lambda w: [w.recommendation.pk], staff_page(CASE_EDITORS)),
    "assess_recommendation": (lambda w: [w.recommendation.pk], staff_page(CASE_EDITORS)),
    "plan_action": (lambda w: [w.recommendation.pk], staff_page(CASE_EDITORS)),
    "link_case": (lambda w: [w.recommendation.pk], staff_page(CASE_EDITORS)),
    "unlink_case": (
        lambda w: [w.recommendation.pk, w.case_link.pk],
        staff_page(CASE_EDITORS, ok=405),
    ),
    "link_repeat": (lambda w: [w.recommendation.pk], staff_page(CASE_EDITORS)),
    "link_statistics": (lambda w: [w.recommendation.pk], staff_page(CASE_EDITORS)),
    "public_scorecard": (lambda w: ["kg"], expect(200)),
    "public_scorecard_file": (lambda w: ["kg", "csv"], expect(200)),
    "submission_attachment": (
        lambda w: [w.submission.pk, w.submission.attachments.get().pk],
        recipient_only(200),
    ),
}


def url_names(patterns=None, namespace: str = "") -> set[str]:
    names = set()
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            names |= url_names(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(namespace + entry.name)
    return names


def test_the_matrix_covers_every_url_the_app_has():
    assert url_names() == set(MATRIX)


def tiny_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def clients(world):
    world.person = register_person(
        world.user("a-lawyer"), world.vault("a"), full_name="Тест Тестов"
    )
    world.case = register_case(
        world.user("a-lawyer"), world.vault("a"), intake_date=date(2024, 5, 2), victim=world.person
    )
    world.event = record_legal_event(
        world.user("a-lawyer"),
        world.vault("a"),
        world.case,
        kind="complaint_lodged",
        date=date(2024, 5, 3),
    )
    world.allegation = add_allegation(
        world.user("a-lawyer"),
        world.vault("a"),
        world.case,
        date=date(2024, 5, 1),
        act_types=[Term.objects.filter(vocabulary="act_type").first()],
        victim=world.person,
    )
    world.place = create_place(
        world.user("a-coordinator"),
        name_en="IVS of Bishkek",
        country="KG",
        kind=Term.objects.get(vocabulary="place_type", code="temporary_detention"),
    )
    world.term = add_term(
        world.user("a-coordinator"), vocabulary="agency", label_en="Tax police", label_ru=""
    )
    record_consent(
        world.user("a-lawyer"),
        world.case,
        scope="sharing",
        given=True,
        when=date(2024, 5, 2),
        manner="written",
    )
    world.share = share_case(
        world.user("a-lawyer"), world.vault("a"), world.case, world.orgs["b"], {"reference": "x"}
    )
    case_b = register_case(
        world.user("b-lawyer"),
        world.vault("b"),
        intake_date=date(2024, 6, 1),
        consents={"sharing": (True, date(2024, 6, 1), "written")},
    )
    world.shared = share_case(
        world.user("b-lawyer"), world.vault("b"), case_b, world.orgs["a"], {"reference": "y"}
    )
    world.evidence = store_evidence(
        world.user("a-lawyer"),
        world.vault("a"),
        world.case,
        filename="photo.png",
        data=tiny_png(),
    )
    world.submission = open_as_submitter(
        submit(world.orgs["a"], {"what_happened": "…"}, [Upload("a.png", "image/png", tiny_png())])
    )[0]
    world.publication = publish(
        world.user("a-coordinator"),
        title="Matrix",
        coalition_wide=False,
        year_from=2024,
        year_to=2024,
        tables=["agency"],
    )
    world.visit = plan_visit(
        world.user("a-monitor"),
        world.vault("a"),
        place=PlaceOfDetention.objects.create(
            country="KG",
            kind=Term.objects.get(vocabulary="place_type", code="sizo", organisation=None),
            name_en="SIZO-1",
            name_ru="СИЗО-1",
        ),
        planned_for=date(2024, 7, 1),
    )
    world.finding = add_finding(
        world.user("a-monitor"), world.vault("a"), world.visit, area="food", source="staff",
        severity="low",
    )
    world.recommendation, _ = save_recommendation(
        world.user("a-lawyer"),
        {"symbol": "CAT/C/KGZ/CO/3", "mechanism": "cat", "country": "KG", "text": "Investigate."},
    )
    world.case_link = link_case(world.user("a-lawyer"), world.recommendation, world.case)
    made = {"anonymous": Client(), "admin": sign_in(Client(), world.user("admin"))}
    for role in ORG_ROLES:
        made[role] = sign_in(Client(), world.user(f"a-{role}"))
    return made


def test_every_role_gets_what_the_matrix_says(world, clients):
    failures = []
    for name, (arguments, expected) in MATRIX.items():
        url = reverse(name, args=arguments(world) if arguments else None)
        for role in ROLES:
            status = clients[role].get(url).status_code
            if status != expected[role]:
                failures.append(f"{role} GET {url}: {status}, expected {expected[role]}")
    assert not failures, "\n".join(failures)


def test_another_organisations_records_and_members_are_404(world, clients):
    b_lawyer = sign_in(Client(), world.user("b-lawyer"))
    b_coordinator = sign_in(Client(), world.user("b-coordinator"))
    assert b_lawyer.get(reverse("person", args=[world.person.pk])).status_code == 404
    assert b_lawyer.get(reverse("case", args=[world.case.pk])).status_code == 404
    unlink = reverse("unlink_case", args=[world.recommendation.pk, world.case_link.pk])
    assert b_lawyer.post(unlink).status_code == 404
    assert b_lawyer.get(reverse("edit_case", args=[world.case.pk])).status_code == 404
    assert (
        b_lawyer.post(reverse("delete_event", args=[world.case.pk, world.event.pk])).status_code
        == 404
    )
    for name, arguments in (
        ("edit_person", [world.person.pk]),
        ("person_history", [world.person.pk]),
        ("case_history", [world.case.pk]),
        ("edit_event", [world.case.pk, world.event.pk]),
        ("edit_allegation", [world.case.pk, world.allegation.pk]),
        ("delete_allegation", [world.case.pk, world.allegation.pk]),
    ):
        assert b_lawyer.get(reverse(name, args=arguments)).status_code == 404, name
    assert b_coordinator.get(reverse("edit_place", args=[world.place.pk])).status_code == 404
    assert b_coordinator.get(reverse("edit_term", args=[world.term.pk])).status_code == 404
    member = world.user("a-lawyer").pk
    assert b_coordinator.get(reverse("reset_password", args=[member])).status_code == 404
    assert b_lawyer.get(reverse("visit", args=[world.visit.pk])).status_code == 404
    assert b_lawyer.post(reverse("finding_case", args=[world.finding.pk])).status_code == 404
