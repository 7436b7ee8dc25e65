"""Evidence files: hashed on upload, stored only encrypted, every handling in a chain of custody.

Images also get a copy without metadata (EXIF, GPS, camera serials) for sharing; the original
is kept untouched for the court. An image is decoded only once its header says it fits in
``MAX_IMAGE_PIXELS`` (kuzot/uploads.py): decompression bombs are refused unopened.
"""

import hashlib
import io

from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from kuzot.accounts import purposes
from kuzot.accounts.models import IDENTITY_ROLES, User
from kuzot.accounts.vault import Keyring, Vault, sealed_context
from kuzot.audit.log import Action, record
from kuzot.cases.models import Case, CustodyEntry, EvidenceFile
from kuzot.media import EVIDENCE, data_key_lock
from kuzot.uploads import MAX_IMAGE_PIXELS, MAX_UPLOAD_BYTES, megabytes

CONTENT = purposes.EVIDENCE_CONTENT
STRIPPED = purposes.EVIDENCE_STRIPPED

# Accepted types, recognised by their first bytes (the browser's word is not trusted).
SIGNATURES = [
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"%PDF-", "application/pdf"),
    (b"ID3", "audio/mpeg"),
    (b"\xff\xfb", "audio/mpeg"),
    (b"OggS", "audio/ogg"),
    (b"PK\x03\x04", "application/zip"),  # .docx/.xlsx/.odt are zip containers
]
IMAGE_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG"}


class EvidenceRefused(ValueError):
    """The file is not accepted; the message says why, in the user's language."""


def detect_type(data: bytes) -> str | None:
    """The file's type from its first bytes, if it is one Kuzot accepts at all."""
    for signature, content_type in SIGNATURES:
        if data.startswith(signature):
            return content_type
    return "audio/mp4" if data[4:8] == b"ftyp" else None


def sniff(data: bytes) -> str:
    if content_type := detect_type(data):
        return content_type
    raise EvidenceRefused(
        _(
            "This kind of file is not accepted: use JPEG, PNG, PDF, MP3, "
            "OGG, M4A or an office document."
        )
    )


def check_image(data: bytes) -> None:
    """Refuse an image that cannot be read or whose pixels would not fit in memory, from its
    header alone (nothing is decoded here)."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
        raise EvidenceRefused(_("This image could not be read.")) from error
    if width * height > MAX_IMAGE_PIXELS:
        raise EvidenceRefused(
            _("This image is too large: at most %(n)d million pixels.")
            % {"n": MAX_IMAGE_PIXELS // 1_000_000}
        )


def strip_metadata(data: bytes, content_type: str) -> bytes:
    """Re-encode the pixels only: no EXIF, GPS, XMP or maker notes survive."""
    target = IMAGE_FORMATS[content_type]
    check_image(data)
    try:
        with Image.open(io.BytesIO(data)) as original:
            image = ImageOps.exif_transpose(original)  # keep the picture upright without EXIF
            modes = ("RGB", "L") if target == "JPEG" else ("RGB", "RGBA", "L", "LA")
            if image.mode not in modes:
                image = image.convert(
                    "RGBA" if "A" in image.getbands() and target == "PNG" else "RGB"
                )
            clean = Image.frombytes(image.mode, image.size, image.tobytes())
            out = io.BytesIO()
            clean.save(out, format=target)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
        raise EvidenceRefused(_("This image could not be read.")) from error
    return out.getvalue()


def _custody(evidence: EvidenceFile, actor: User | None, action: str, sha256: str = "") -> None:
    CustodyEntry.objects.create(evidence=evidence, actor=actor, action=action, sha256=sha256)


def store_evidence(
    actor: User, vault: Vault, case: Case, *, filename: str, data: bytes, description: str = ""
) -> EvidenceFile:
    if actor.role not in IDENTITY_ROLES or actor.organisation_id != case.organisation_id:
        raise PermissionError("this role does not add evidence to this case")
    if len(data) > MAX_UPLOAD_BYTES:
        raise EvidenceRefused(
            _("The file is larger than %(limit)s.") % {"limit": megabytes(MAX_UPLOAD_BYTES)}
        )
    if not data:
        raise EvidenceRefused(_("The file is empty."))
    content_type = sniff(data)
    stripped = strip_metadata(data, content_type) if content_type in IMAGE_FORMATS else None
    digest = hashlib.sha256(data).hexdigest()
    written = [EVIDENCE.add(data, data_key_lock(vault, CONTENT))]
    if stripped is not None:
        written.append(EVIDENCE.add(stripped, data_key_lock(vault, STRIPPED)))
    try:
        with transaction.atomic():
            evidence = EvidenceFile.objects.create(
                case=case,
                organisation_id=case.organisation_id,
                filename=vault.seal(filename, sealed_context(EvidenceFile, "filename")),
                description=vault.seal(description, sealed_context(EvidenceFile, "description")),
                content_type=content_type,
                size=len(data),
                sha256=digest,
                stored_as=written[0],
                stripped_as=written[1] if stripped is not None else "",
                uploaded_by=actor,
            )
            _custody(evidence, actor, CustodyEntry.Action.UPLOADED, digest)
            record(actor, Action.CREATE, evidence, detail={"case": case.pk, "sha256": digest})
    except BaseException:  # an interrupted process too; a killed one is left to ops.sweep
        EVIDENCE.remove(written)
        raise
    return evidence


def read_evidence(
    actor: User, keyring: Keyring, evidence: EvidenceFile, *, stripped: bool = False
) -> tuple[str, bytes]:
    """(file name, bytes) for a download; checks integrity and logs custody and audit."""
    vault = keyring.vault(evidence.organisation_id)
    if stripped and not evidence.stripped_as:
        raise EvidenceRefused(_("This file has no copy without metadata."))
    name, context = (evidence.stripped_as, STRIPPED) if stripped else (evidence.stored_as, CONTENT)
    data = EVIDENCE.read(name, data_key_lock(vault, context))
    if not stripped and hashlib.sha256(data).hexdigest() != evidence.sha256:
        raise EvidenceRefused(_("The stored file does not match its fingerprint."))
    action = CustodyEntry.Action.DOWNLOADED_STRIPPED if stripped else CustodyEntry.Action.DOWNLOADED
    with transaction.atomic():
        _custody(evidence, actor, action, evidence.sha256)
        record(actor, Action.EXPORT, evidence, detail={"stripped": stripped})
    return vault.open(evidence.filename, sealed_context(EvidenceFile, "filename")), data


def reseal_evidence(sender, *, organisation, old: Vault, new: Vault, **kwargs) -> None:
    """After a key rotation every stored file is encrypted again under the new key, into new
    files; the old ones are removed only once the rotation is committed."""
    replaced: list[str] = []
    for evidence in EvidenceFile.objects.filter(organisation=organisation):
        for field, context in (("stored_as", CONTENT), ("stripped_as", STRIPPED)):
            if name := getattr(evidence, field):
                data = EVIDENCE.read(name, data_key_lock(old, context))
                setattr(evidence, field, EVIDENCE.add(data, data_key_lock(new, context)))
                replaced.append(name)
        evidence.save(update_fields=["stored_as", "stripped_as"])
    transaction.on_commit(lambda: EVIDENCE.remove(replaced))
