"""What is sealed to whom, and the purpose every ciphertext is bound to: the one place.

Every ciphertext Kuzot stores carries associated data (AAD) naming its purpose and the records
it belongs to, so that it cannot be moved to another field, record, organisation or user and
still open. Every key derived from another names its purpose too (HKDF ``info``). Both are
built here and nowhere else (``tests/accounts/test_purposes.py`` checks that no other module
builds one, and that ``SEALED`` below is what docs/security.md lists).

The bytes are those written since Kuzot 0.1: changing one makes every stored ciphertext of its
kind unreadable, so a change needs a migration that opens and seals again.
"""

import struct
from dataclasses import dataclass

# --- Sealed under an organisation's data key (``Vault``) ---------------------------------------


def field(model_label: str, field_name: str) -> str:
    """The context of a ``SealedField`` value (or of a file sealed like one): model and field."""
    return f"{model_label}.{field_name}"


def data_key(context: str, organisation_id: int, version: int) -> bytes:
    """Anything sealed under an organisation's data key: the context, the organisation and the
    key version."""
    return f"{context}|org:{organisation_id}|v:{version}".encode()


ORGANISATION_PRIVATE_KEY = field("accounts.organisation", "sealed_private_key")
EVIDENCE_CONTENT = field("cases.evidencefile", "content")
EVIDENCE_STRIPPED = field("cases.evidencefile", "stripped")

# Subkeys of the data key for keyed digests (``Vault.digest``): equal values meet without
# decryption, and no one without the key can test a guess.
BLIND_INDEX = "blind index"
IMPORT_KEY = "import key"

# --- Keys of users and organisations -----------------------------------------------------------


def user_private_key(user_id: int) -> bytes:
    """A user's private key, wrapped under their password's key."""
    return f"user-private-key|user:{user_id}".encode()


def grant(organisation_id: int, version: int, user_id: int) -> bytes:
    """A data key version sealed to a member's public key (``KeyGrant``)."""
    return f"grant|org:{organisation_id}|v:{version}|user:{user_id}".encode()


TOTP_KEY = "totp secret"  # subkey of the user's private key


def totp(user_id: int) -> bytes:
    """The second factor's secret, under the subkey ``TOTP_KEY`` of the user's private key."""
    return f"totp|user:{user_id}".encode()


RECOVERY_KEY = "recovery"  # subkey of the recovery key


def recovery(organisation_id: int, version: int) -> bytes:
    """A data key version wrapped under the organisation's recovery key."""
    return f"recovery|org:{organisation_id}|v:{version}".encode()


INVITATION_KEY = "invitation"  # subkey of the invitation link's token


def invitation(organisation_id: int, version: int) -> bytes:
    """A data key version wrapped under the subkey ``INVITATION_KEY`` of an invitation token."""
    return f"invitation|org:{organisation_id}|v:{version}".encode()


SEAL_KEY = "kuzot seal"  # the key of ``crypto.seal_to``: X25519 shared secret, through HKDF

# --- Sealed to another organisation's key pair -------------------------------------------------


def share(case_id: int, from_organisation: int, to_organisation: int) -> bytes:
    """A snapshot of a case shared with another member (``CaseShare.snapshot``)."""
    return f"share|case:{case_id}|from:{from_organisation}|to:{to_organisation}".encode()


def linkage(from_organisation: int, to_organisation: int) -> bytes:
    """A member's consented records for the hidden figure (``LinkageContribution.sealed``)."""
    return f"linkage|from:{from_organisation}|to:{to_organisation}".encode()


# --- Complaints: under the complaint's own key, which is sealed to its readers -----------------


def complaint(receipt_digest: str, part: str) -> bytes:
    return f"intake|{receipt_digest}|{part}".encode()


def complaint_content(receipt_digest: str) -> bytes:
    return complaint(receipt_digest, "content")


def complaint_key_to_submitter(receipt_digest: str) -> bytes:
    return complaint(receipt_digest, "submitter")


def complaint_key_to_organisation(receipt_digest: str) -> bytes:
    return complaint(receipt_digest, "organisation")


def complaint_key_to_recipient(receipt_digest: str, user_id: int) -> bytes:
    return complaint(receipt_digest, f"recipient:{user_id}")


def complaint_message(receipt_digest: str, message_id: int) -> bytes:
    return complaint(receipt_digest, f"message:{message_id}")


def complaint_file(receipt_digest: str, stored_as: str) -> bytes:
    return complaint(receipt_digest, f"file:{stored_as}")


def complaint_file_meta(receipt_digest: str, stored_as: str) -> bytes:
    return complaint(receipt_digest, f"meta:{stored_as}")


# --- Under keys that leave the server ---------------------------------------------------------

BACKUP_MAGIC = b"KUZOTBK1"


def backup_frame(index: int, last: bool) -> bytes:
    """A frame of a backup archive: its number and whether it is the last (truncation and
    reordering are detected)."""
    return BACKUP_MAGIC + struct.pack(">Q?", index, last)


def session_secret(name: str) -> bytes:
    """A secret kept in a session, under the key in the browser's cookie."""
    return name.encode()


# Keys of the audit log, derived from its secret.
def job_key(job_id: int, organisation_id: int, worker_id: str) -> bytes:
    """An organisation's data keys sealed to a live background worker, for one job."""
    return f"job-key|job:{job_id}|org:{organisation_id}|worker:{worker_id}".encode()


AUDIT_CHAIN_KEY = "kuzot audit chain"
AUDIT_CHECKPOINT_KEY = "kuzot audit checkpoint"

# --- What is sealed to whom --------------------------------------------------------------------


@dataclass(frozen=True)
class Sealed:
    """One kind of ciphertext: where it is stored, under which key, who can open it."""

    what: str  # "Model.field", "SealedField" (every one), a media folder, or what else
    key: str  # the key it is encrypted under
    opened_by: str  # who holds that key


DATA_KEY_HOLDERS = "the organisation's members whose role sees identities"
COMPLAINT_READERS = "the complainant (receipt), its recipients, the organisation's key holders"
SEALED = (
    Sealed("SealedField", "the organisation's data key", DATA_KEY_HOLDERS),
    Sealed("Organisation.sealed_private_key", "the organisation's data key", DATA_KEY_HOLDERS),
    Sealed("media/evidence", "the organisation's data key", DATA_KEY_HOLDERS),
    Sealed("User.wrapped_private_key", "a key derived from the user's password", "the user"),
    Sealed("User.sealed_totp_secret", "the user's private key", "the user"),
    Sealed("KeyGrant.sealed", "the member's key pair", "the member"),
    Sealed("OrganisationKey.recovery_wrapped", "the recovery key", "who holds the recovery key"),
    Sealed("Invitation.wrapped_key", "the invitation link's token", "whoever holds the link"),
    Sealed("CaseShare.snapshot", "the receiving organisation's key pair",
           "the receiving organisation's key holders"),
    Sealed("LinkageContribution.sealed", "the analysing organisation's key pair",
           "the analysing organisation's key holders"),
    Sealed("Submission.content", "the complaint's key", COMPLAINT_READERS),
    Sealed("Message.body", "the complaint's key", COMPLAINT_READERS),
    Sealed("Attachment.meta", "the complaint's key", COMPLAINT_READERS),
    Sealed("media/intake", "the complaint's key", COMPLAINT_READERS),
    Sealed("Submission.submitter_sealed_key", "the key pair derived from the receipt",
           "the complainant"),
    Sealed("Submission.organisation_sealed_key", "the organisation's key pair", DATA_KEY_HOLDERS),
    Sealed("RecipientKey.sealed_key", "the recipient's key pair", "the recipient"),
    Sealed("backup archive", "a key derived from the backup passphrase",
           "whoever holds the passphrase"),
    Sealed("session secrets", "the key in the browser's cookie", "that browser"),
    Sealed("JobKey.sealed", "a live background worker's key pair (in its memory only)",
           "that worker, for that one job"),
)  # fmt: skip
# Binary columns that are not secret: public keys, and salts.
NOT_SECRET = (
    "Organisation.public_key",
    "User.public_key",
    "User.kdf_salt",
    "Submission.receipt_salt",
    "Submission.submitter_public_key",
    "WorkerKey.public_key",
    "Job.output",  # a background job's file: the annual report, protected numbers only
)
