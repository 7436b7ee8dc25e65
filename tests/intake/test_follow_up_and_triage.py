"""The submitter returns with the receipt; recipients read, ask, accept, merge or decline."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from kuzot.accounts.vault import unlock
from kuzot.audit.models import AuditEvent
from kuzot.cases.models import Case, Consent, EvidenceFile
from kuzot.cases.selectors import person_names
from kuzot.intake.models import Submission
from tests.conftest import PASSWORD
from tests.intake.conftest import complain, photo, receipt_of


def open_with_receipt(client: Client, receipt: str):
    return client.post(reverse("complaint_follow_up"), {"receipt": receipt}, follow=True)


def test_question_answer_and_acceptance_into_a_case(world, signed_in):
    submitter = Client()
    receipt = receipt_of(
        complain(
            submitter,
            victim_name="Азимжан Аскаров",
            sex="M",
            birth_year="1951",
            consent=["documentation", "statistics"],
            files=[SimpleUploadedFile("bruise.jpg", photo())],
        )
    )
    submission = Submission.objects.get()
    recipient = signed_in("a-coordinator")

    page = recipient.get(reverse("submission", args=[submission.pk]))
    assert "Азимжан Аскаров" in page.content.decode()
    assert AuditEvent.objects.filter(
        action="view_identity", object_id=str(submission.pk), actor=world.user("a-coordinator")
    ).exists()
    recipient.post(reverse("submission_ask", args=[submission.pk]), {"body": "Были ли свидетели?"})

    conversation = open_with_receipt(Client(), receipt)
    assert "Были ли свидетели?" in conversation.content.decode()
    reply = Client()
    open_with_receipt(reply, receipt)
    reply.post(reverse("complaint_conversation"), {"body": "Да, мой сосед."})
    assert (
        "Да, мой сосед."
        in recipient.get(reverse("submission", args=[submission.pk])).content.decode()
    )

    recipient.post(reverse("submission_accept", args=[submission.pk]))
    submission.refresh_from_db()
    case = Case.objects.get()
    assert submission.status == Submission.Status.ACCEPTED and submission.case == case
    assert submission.expires_on is None
    keyring = unlock(world.user("a-coordinator"), PASSWORD)
    victim = case.parties.get().person
    assert person_names(keyring, [victim]) == {victim.pk: "Азимжан Аскаров"}
    assert victim.sex == "M" and victim.birth_year == 1951
    consents = {c.scope: c.given for c in case.consents.all()}
    assert consents[Consent.Scope.STATISTICS] and not consents[Consent.Scope.PUBLICATION]
    assert EvidenceFile.objects.filter(case=case).count() == 1
    assert case.source.code == "online_form"


def test_a_wrong_receipt_is_told_plainly(world):
    response = Client().post(reverse("complaint_follow_up"), {"receipt": "1234 5678 1234 5678"})
    assert "No complaint has this receipt" in response.content.decode()


def test_declined_complaint_tells_the_submitter_why(world, signed_in):
    submitter = Client()
    receipt = receipt_of(complain(submitter))
    submission = Submission.objects.get()
    signed_in("a-coordinator").post(
        reverse("submission_reject", args=[submission.pk]),
        {"reason": "Это дело вне нашего мандата."},
    )
    submission.refresh_from_db()
    assert submission.status == Submission.Status.REJECTED and submission.expires_on
    page = open_with_receipt(Client(), receipt).content.decode()
    assert "Это дело вне нашего мандата." in page


def test_a_complaint_about_a_known_case_joins_it(world, signed_in):
    from kuzot.cases.actions import register_case

    case = register_case(
        world.user("a-lawyer"),
        world.vault("a"),
        intake_date=__import__("datetime").date(2024, 1, 5),
    )
    complain(Client(), files=[SimpleUploadedFile("a.jpg", photo())])
    submission = Submission.objects.get()
    signed_in("a-coordinator").post(
        reverse("submission_duplicate", args=[submission.pk]), {"reference": case.reference}
    )
    submission.refresh_from_db()
    assert submission.status == Submission.Status.DUPLICATE and submission.case == case
    assert case.evidence.count() == 1


def test_only_recipients_see_a_complaint(world, signed_in):
    complain(Client())
    submission = Submission.objects.get()
    assert signed_in("a-lawyer").get(reverse("submission", args=[submission.pk])).status_code == 404
    assert (
        signed_in("b-coordinator").get(reverse("submission", args=[submission.pk])).status_code
        == 404
    )


def test_recipients_see_how_many_complaints_wait_on_their_home_page(world, signed_in):
    complain(Client())
    complain(Client())
    home = signed_in("a-coordinator").get(reverse("home")).content.decode()
    assert "2 new complaints" in home
