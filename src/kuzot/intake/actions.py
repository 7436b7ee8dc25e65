"""Complaints: received, read, answered, triaged and expired. Each step goes through here.

The receipt (16 digits, shown once) is the submitter's only key. Argon2id, with the
submission's own random salt and the work factors in force when it arrived (both stored with
it), turns it into a digest and an X25519 key pair. A submission's own random key is sealed to
that key pair, to each recipient's public key, and to the organisation's key pair (whose
private half is sealed under the data key): a recipient whose key pair changed (a password
reset, a recovery) opens it through the organisation's and gets it sealed to their new key
pair. Once the request ends the server cannot open anything. No complaint is accepted that
nobody could read. To find the submission again without a global salt, a short tag of the
receipt (``receipt_tag``: one receipt in 65,536 shares it) picks the few candidates, and the
slow derivation with each candidate's salt decides (docs/intake.md, "The receipt").
"""

import hashlib
import json
import os
import re
import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kuzot.accounts import crypto, purposes
from kuzot.accounts.models import Organisation, Role, User
from kuzot.accounts.vault import Keyring, organisation_private_key
from kuzot.audit.log import Action, record
from kuzot.cases import actions as cases
from kuzot.cases.evidence import EvidenceRefused, store_evidence
from kuzot.cases.imports import Bad, parse_date
from kuzot.cases.models import Allegation, Case, Consent, Term
from kuzot.intake.models import Attachment, Channel, Message, RecipientKey, Submission
from kuzot.media import COMPLAINT_ATTACHMENTS, Lock, key_lock

RECEIPT_DIGITS = 16
# The consent scopes the complaint form asked about before complaints said which it asked.
ASKED_BEFORE = [scope for scope in Consent.Scope.values if scope != Consent.Scope.LINKAGE]
# Four hex digits: 16 of the receipt's 53 bits. The 37 left cost an Argon2id derivation each,
# with the submission's own salt, to anyone who holds the database and its tags.
RECEIPT_TAG_CHARS = 4


class IntakeClosed(Exception):
    """This organisation does not take complaints online."""


class NoRecipient(Exception):
    """Nobody at this organisation could read a complaint yet (no coordinator has joined)."""


@dataclass(frozen=True)
class Upload:
    name: str
    content_type: str
    data: bytes


def new_receipt() -> str:
    return "".join(secrets.choice("0123456789") for _ in range(RECEIPT_DIGITS))


def normalise_receipt(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def receipt_tag(receipt: str) -> str:
    """A short, fast tag of the receipt: it narrows the search to a few submissions and, being
    short, gives no receipt away."""
    text = f"kuzot receipt tag|{normalise_receipt(receipt)}"
    return hashlib.sha256(text.encode()).hexdigest()[:RECEIPT_TAG_CHARS]


def receipt_keys(receipt: str, salt: bytes, params: dict) -> tuple[str, bytes]:
    """(digest, X25519 private key) from a receipt and one submission's salt and work factors;
    slow on purpose (Argon2id)."""
    derived = crypto.password_key(normalise_receipt(receipt), salt, params, length=64)
    return derived[:32].hex(), derived[32:]


def _public_key(private_key: bytes) -> bytes:
    return X25519PrivateKey.from_private_bytes(private_key).public_key().public_bytes_raw()


def recipients(organisation: Organisation) -> list[User]:
    """The designated recipients, or the coordinators when none are designated."""
    channel = Channel.objects.filter(organisation=organisation).first()
    chosen = (
        list(channel.recipients.filter(is_active=True, public_key__isnull=False)) if channel else []
    )
    return chosen or list(
        User.objects.filter(
            organisation=organisation,
            role=Role.COORDINATOR,
            is_active=True,
            public_key__isnull=False,
        )
    )


def can_receive(organisation: Organisation) -> bool:
    """Whether someone at the organisation would be able to read a complaint sent now."""
    keyed = Organisation.objects.filter(pk=organisation.pk, public_key__isnull=False).exists()
    return keyed and bool(recipients(organisation))


def _seal_to_organisation(submission: Submission, key: bytes) -> None:
    public_key = Organisation.objects.values_list("public_key", flat=True).get(
        pk=submission.organisation_id
    )
    submission.organisation_sealed_key = crypto.seal_to(
        bytes(public_key), key, purposes.complaint_key_to_organisation(submission.receipt_digest)
    )


def _files(digest: str, key: bytes) -> Lock:
    """A complaint's attachments: under its key, each bound to its receipt and its name."""
    return key_lock(key, lambda name: purposes.complaint_file(digest, name))


def _seal_attachment(submission: Submission, key: bytes, upload: Upload) -> None:
    digest = submission.receipt_digest
    name = COMPLAINT_ATTACHMENTS.add(upload.data, _files(digest, key))
    meta = {"name": upload.name, "type": upload.content_type, "size": len(upload.data)}
    Attachment.objects.create(
        submission=submission,
        stored_as=name,
        meta=crypto.encrypt(
            key, json.dumps(meta).encode(), purposes.complaint_file_meta(digest, name)
        ),
    )


def submit(
    organisation: Organisation, fields: dict, uploads: list[Upload], *, held: bool = False
) -> str:
    """Store a complaint encrypted to the recipients; return the receipt (shown once).

    ``held``: it arrived past the rate limit; kept all the same, shown apart."""
    channel, _ = Channel.objects.get_or_create(organisation=organisation)
    if not channel.enabled:
        raise IntakeClosed
    if not can_receive(organisation):
        raise NoRecipient
    receipt, salt, params = new_receipt(), os.urandom(16), dict(settings.KUZOT_KDF)
    digest, submitter_private = receipt_keys(receipt, salt, params)
    key = crypto.random_key()
    with transaction.atomic():
        submission = Submission.objects.create(
            organisation=organisation,
            receipt_digest=digest,
            receipt_tag=receipt_tag(receipt),
            receipt_salt=salt,
            receipt_kdf=params,
            submitter_public_key=_public_key(submitter_private),
            submitter_sealed_key=crypto.seal_to(
                _public_key(submitter_private), key, purposes.complaint_key_to_submitter(digest)
            ),
            content=crypto.encrypt(
                key,
                json.dumps(fields, ensure_ascii=False).encode(),
                purposes.complaint_content(digest),
            ),
            expires_on=timezone.localdate() + timedelta(days=channel.retention_days),
            held=held,
        )
        _seal_to_organisation(submission, key)
        submission.save(update_fields=["organisation_sealed_key"])
        for user in recipients(organisation):
            RecipientKey.objects.create(
                submission=submission,
                user=user,
                sealed_key=crypto.seal_to(
                    bytes(user.public_key),
                    key,
                    purposes.complaint_key_to_recipient(submission.receipt_digest, user.pk),
                ),
            )
        for upload in uploads:
            _seal_attachment(submission, key, upload)
        record(None, Action.CREATE, submission, organisation=organisation, coarse=True)
    return receipt


# --- Opening -------------------------------------------------------------------------------


def open_as_submitter(receipt: str) -> tuple[Submission, bytes] | None:
    """The submission this receipt opens, and its key; None if there is none.

    Candidates share the receipt's tag; those that arrived before salts were stored per
    submission (no tag) share one salt and are tried together. At least one derivation runs
    even with no candidate, so the answer's time says nothing about the tags in use."""
    candidates = Submission.objects.filter(Q(receipt_tag=receipt_tag(receipt)) | Q(receipt_tag=""))
    derivations = candidates.order_by().values_list("receipt_salt", "receipt_kdf").distinct()
    if not derivations:
        receipt_keys(receipt, os.urandom(16), settings.KUZOT_KDF)
        return None
    for salt, params in derivations:
        digest, private_key = receipt_keys(receipt, bytes(salt), params)
        submission = candidates.filter(receipt_digest=digest).first()
        if submission is not None:
            key = crypto.open_sealed(
                private_key,
                bytes(submission.submitter_sealed_key),
                purposes.complaint_key_to_submitter(digest),
            )
            return submission, key
    return None


def _open_as_organisation(keyring: Keyring, submission: Submission) -> bytes:
    if submission.organisation_sealed_key is None:
        raise crypto.DecryptionError("this complaint was sealed to its recipients only")
    organisation = Organisation.objects.get(pk=submission.organisation_id)
    private_key = organisation_private_key(organisation, keyring.vault(organisation.pk))
    return crypto.open_sealed(
        private_key,
        bytes(submission.organisation_sealed_key),
        purposes.complaint_key_to_organisation(submission.receipt_digest),
    )


def open_as_recipient(user: User, keyring: Keyring, submission: Submission) -> bytes:
    """The complaint's key, for one of its recipients. Sealed to a key pair the recipient no
    longer has (after a reset or a recovery), it is opened through the organisation's key
    pair and sealed to their present one; a complaint from before organisations held its key
    is sealed to the organisation's key pair the first time it is opened."""
    access = RecipientKey.objects.get(submission=submission, user=user)
    changed = ["seen"]
    try:
        key = keyring.open_sealed(
            bytes(access.sealed_key),
            purposes.complaint_key_to_recipient(submission.receipt_digest, user.pk),
        )
    except crypto.DecryptionError:
        key = _open_as_organisation(keyring, submission)
        access.sealed_key = crypto.seal_to(
            bytes(user.public_key),
            key,
            purposes.complaint_key_to_recipient(submission.receipt_digest, user.pk),
        )
        changed.append("sealed_key")
    access.seen = True
    with transaction.atomic():
        access.save(update_fields=changed)
        if submission.organisation_sealed_key is None:
            _seal_to_organisation(submission, key)
            submission.save(update_fields=["organisation_sealed_key"])
        record(user, Action.VIEW_IDENTITY, submission)
    return key


# --- Keys that change ----------------------------------------------------------------------


def reseal_for_organisation(sender, *, organisation: Organisation, reseal, **kwargs) -> None:
    """After a rotation, the complaint keys sealed to the organisation follow its new key pair."""
    for submission in Submission.objects.filter(
        organisation=organisation, organisation_sealed_key__isnull=False
    ):
        submission.organisation_sealed_key = reseal(
            bytes(submission.organisation_sealed_key),
            purposes.complaint_key_to_organisation(submission.receipt_digest),
        )
        submission.save(update_fields=["organisation_sealed_key"])


def reseal_for_recipient(sender, *, user: User, reseal, **kwargs) -> None:
    """After a recipient's own password change, their complaint keys follow their new key pair
    (one sealed to an older pair, before a reset, is recovered when it is next opened)."""
    for access in RecipientKey.objects.filter(user=user).select_related("submission"):
        try:
            access.sealed_key = reseal(
                bytes(access.sealed_key),
                purposes.complaint_key_to_recipient(access.submission.receipt_digest, user.pk),
            )
        except crypto.DecryptionError:
            continue
        access.save(update_fields=["sealed_key"])


def forget_recipient(sender, *, user: User, keyring: Keyring, **kwargs) -> None:
    """A removed member receives no more complaints and their complaint keys are deleted; a
    complaint nobody else received goes to the organisation's recipients, through the
    organisation's key pair opened by the coordinator who removes them (``keyring``)."""
    received = list(Submission.objects.filter(keys__user=user))
    RecipientKey.objects.filter(user=user).delete()
    for channel in Channel.objects.filter(recipients=user):
        channel.recipients.remove(user)
    for submission in received:
        if submission.keys.exists() or submission.organisation_sealed_key is None:
            continue
        key = _open_as_organisation(keyring, submission)
        for recipient in recipients(submission.organisation):
            RecipientKey.objects.create(
                submission=submission,
                user=recipient,
                sealed_key=crypto.seal_to(
                    bytes(recipient.public_key),
                    key,
                    purposes.complaint_key_to_recipient(submission.receipt_digest, recipient.pk),
                ),
            )


def read_content(submission: Submission, key: bytes) -> dict:
    return json.loads(
        crypto.decrypt(
            key, bytes(submission.content), purposes.complaint_content(submission.receipt_digest)
        )
    )


def read_messages(submission: Submission, key: bytes) -> list[tuple[Message, str]]:
    digest = submission.receipt_digest
    return [
        (m, crypto.decrypt(key, bytes(m.body), purposes.complaint_message(digest, m.pk)).decode())
        for m in submission.messages.all()
    ]


def attachments(submission: Submission, key: bytes) -> list[tuple[Attachment, dict]]:
    digest = submission.receipt_digest
    return [
        (
            a,
            json.loads(
                crypto.decrypt(
                    key, bytes(a.meta), purposes.complaint_file_meta(digest, a.stored_as)
                )
            ),
        )
        for a in submission.attachments.all()
    ]


def read_attachment(attachment: Attachment, key: bytes) -> bytes:
    digest = attachment.submission.receipt_digest
    return COMPLAINT_ATTACHMENTS.read(attachment.stored_as, _files(digest, key))


# --- Conversation --------------------------------------------------------------------------


def add_message(
    submission: Submission, key: bytes, body: str, *, sender: User | None = None
) -> Message:
    """A reply from a recipient (``sender``) or from the submitter (no sender)."""
    author = Message.Author.RECIPIENT if sender else Message.Author.SUBMITTER
    with transaction.atomic():
        message = Message.objects.create(
            submission=submission,
            author=author,
            sender=sender,
            body=b"",
            read_by_submitter=author == Message.Author.SUBMITTER,
            read_by_recipients=author == Message.Author.RECIPIENT,
        )
        message.body = crypto.encrypt(
            key, body.encode(), purposes.complaint_message(submission.receipt_digest, message.pk)
        )
        message.save(update_fields=["body"])
        if sender is not None:
            _open(submission)
            record(sender, Action.UPDATE, submission, detail={"message": message.pk})
    return message


def add_uploads(submission: Submission, key: bytes, uploads: list[Upload]) -> None:
    with transaction.atomic():
        for upload in uploads:
            _seal_attachment(submission, key, upload)


def mark_read_by_submitter(submission: Submission) -> None:
    submission.messages.filter(read_by_submitter=False).update(read_by_submitter=True)


def _open(submission: Submission) -> None:
    if submission.status == Submission.Status.NEW:
        submission.status = Submission.Status.OPEN
        submission.save(update_fields=["status"])


# --- Triage --------------------------------------------------------------------------------


def _require_recipient(user: User, submission: Submission) -> None:
    if not RecipientKey.objects.filter(submission=submission, user=user).exists():
        raise PermissionError("not a recipient of this complaint")


def accept(user: User, keyring: Keyring, submission: Submission, key: bytes) -> Case:
    """Open a case pre-filled from the complaint, with the consent given there."""
    _require_recipient(user, submission)
    content = read_content(submission, key)
    vault = keyring.vault(submission.organisation_id)
    given = set(content.get("consent", []))
    when = submission.received_on
    consents = {
        scope: (scope in given, when, Consent.Manner.ONLINE)
        for scope in content.get("consent_asked", ASKED_BEFORE)
    }
    with transaction.atomic():
        victim = cases.register_person(
            user,
            vault,
            full_name=content.get("victim_name") or content.get("name", ""),
            sex=content.get("sex", ""),
            birth_year=int(content["birth_year"]) if content.get("birth_year") else None,
            contact=content.get("contact", ""),
        )
        case = cases.register_case(
            user,
            vault,
            intake_date=when,
            victim=victim,
            source=Term.objects.filter(
                vocabulary=Term.Vocabulary.SOURCE, code="online_form"
            ).first(),
            summary=content.get("what_happened", ""),
            consents=consents,
        )
        _add_act(user, vault, case, victim, content, when)
        _attach_files(user, vault, submission, key, case)
        submission.status, submission.case, submission.expires_on = (
            Submission.Status.ACCEPTED,
            case,
            None,
        )
        submission.save(update_fields=["status", "case", "expires_on"])
        record(user, Action.UPDATE, submission, detail={"accepted_as": case.pk})
    return case


def _act_date(words: str, received: date) -> tuple[date, str]:
    """When it happened, from the complainant's words: a date the importer reads (31.05.2024,
    05.2024, 2024), else a year written in them ("March 2024", "весной 2023"), else the
    complaint's own year (it happened before it was told)."""
    try:
        day, precision = parse_date(words)
    except Bad:
        years = [int(y) for y in re.findall(r"(?<!\d)(?:19|20)\d\d(?!\d)", words)]
        day, precision = date(max(years or [received.year]), 1, 1), Allegation.Precision.YEAR
    if day > received:
        return date(received.year, 1, 1), Allegation.Precision.YEAR
    return day, precision


def _add_act(user: User, vault, case: Case, victim, content: dict, received: date) -> None:
    """The act the complainant described (when, where, who), if they said any of it. Its type
    is "other" until a lawyer classifies it; their words on when and where are kept with it."""
    told = {name: (content.get(name) or "").strip() for name in ("when", "where", "unit")}
    agency = Term.objects.filter(
        vocabulary=Term.Vocabulary.AGENCY, organisation=None, code=content.get("agency") or "-"
    ).first()
    if not any(told.values()) and agency is None:
        return
    day, precision = _act_date(told["when"], received)
    words = [
        f"{label}: {told[name]}"
        for name, label in (("when", _("When, as told")), ("where", _("Where, as told")))
        if told[name]
    ]
    cases.add_allegation(
        user,
        vault,
        case,
        date=day,
        date_precision=precision,
        act_types=[
            Term.objects.get(vocabulary=Term.Vocabulary.ACT_TYPE, code="other", organisation=None)
        ],
        victim=victim,
        district=told["where"],
        agency=agency,
        unit=told["unit"],
        description="\n".join(words),
    )


def mark_duplicate(
    user: User, keyring: Keyring, submission: Submission, key: bytes, case: Case
) -> None:
    """The complaint concerns a case the organisation has: its files join that case."""
    _require_recipient(user, submission)
    if case.organisation_id != submission.organisation_id:
        raise PermissionError("the case belongs to another organisation")
    with transaction.atomic():
        _attach_files(user, keyring.vault(case.organisation_id), submission, key, case)
        submission.status, submission.case, submission.expires_on = (
            Submission.Status.DUPLICATE,
            case,
            None,
        )
        submission.save(update_fields=["status", "case", "expires_on"])
        record(user, Action.UPDATE, submission, detail={"duplicate_of": case.pk})


def _attach_files(user, vault, submission: Submission, key: bytes, case: Case) -> None:
    for attachment, meta in attachments(submission, key):
        try:
            store_evidence(
                user,
                vault,
                case,
                filename=meta["name"],
                data=read_attachment(attachment, key),
                description=f"complaint {submission}",
            )
        except EvidenceRefused:
            continue  # stays readable in the complaint itself


def reject(user: User, submission: Submission, key: bytes, reason: str) -> None:
    """Not taken up: the submitter reads the reason; the complaint expires as usual."""
    _require_recipient(user, submission)
    with transaction.atomic():
        add_message(submission, key, reason, sender=user)
        submission.status = Submission.Status.REJECTED
        submission.save(update_fields=["status"])
        record(user, Action.UPDATE, submission, detail={"rejected": True})


def postpone(user: User, submission: Submission) -> None:
    _require_recipient(user, submission)
    channel = Channel.objects.get(organisation_id=submission.organisation_id)
    submission.postpone(channel.retention_days)
    submission.save(update_fields=["expires_on"])
    record(user, Action.UPDATE, submission, detail={"expires_on": str(submission.expires_on)})


def expire(today: date | None = None) -> int:
    """Delete unaccepted complaints past their date, with their files, messages and keys."""
    today = today or timezone.localdate()
    expired = Submission.objects.filter(expires_on__lt=today).exclude(
        status__in=[Submission.Status.ACCEPTED, Submission.Status.DUPLICATE]
    )
    count = 0
    for submission in expired:
        files = [a.stored_as for a in submission.attachments.all()]
        with transaction.atomic():
            # Timed, not coarse: the daily run's time is no secret, and among the date-only
            # events of complaints arriving it would tell which came before it.
            record(
                None,
                Action.DELETE,
                submission,
                organisation=submission.organisation,
                detail={"expired": True},
            )
            submission.delete()
        COMPLAINT_ATTACHMENTS.remove(files)
        count += 1
    return count
