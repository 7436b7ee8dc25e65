"""What is sealed to whom is said in one module, the same in docs/security.md, and nowhere else
builds associated data; the purposes are the bytes every stored ciphertext was sealed with."""

import ast
import re
from pathlib import Path

from django.apps import apps
from django.db import models

from kuzot.accounts import purposes
from kuzot.accounts.keys import sealed_fields
from kuzot.accounts.vault import SealedField
from kuzot.media import STORES

SRC = Path(__file__).resolve().parents[2] / "src" / "kuzot"
DOC = Path(__file__).resolve().parents[2] / "docs" / "security.md"
# Calls whose associated data (or, for derive_subkey, purpose; for a vault's seal_bytes and
# open_bytes, context) must come from kuzot.accounts.purposes: the argument's position.
PURPOSE_ARGUMENT = {
    "encrypt": 2,
    "decrypt": 2,
    "seal_to": 2,
    "open_sealed": 2,
    "derive_subkey": 1,
    "seal_bytes": 1,
    "open_bytes": 1,
}


def _section() -> str:
    text = DOC.read_text()
    start = text.index("### What is sealed to whom")
    return text[start : text.index("\n### ", start + 1)]


def _binary_columns() -> set[str]:
    return {
        f"{model.__name__}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, models.BinaryField) and not isinstance(field, SealedField)
    }


def test_every_binary_column_is_sealed_in_the_list_or_not_secret():
    listed = {s.what for s in purposes.SEALED if "." in s.what}
    assert listed | set(purposes.NOT_SECRET) == _binary_columns()
    assert not listed & set(purposes.NOT_SECRET)


def test_every_file_store_is_in_the_list():
    assert {f"media/{store.folder}" for store in STORES} == {
        s.what for s in purposes.SEALED if s.what.startswith("media/")
    }


def test_the_security_doc_lists_what_the_code_seals():
    section = _section()
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    named = [re.match(r"\| `([^`]+)`", row).group(1) for row in rows]
    assert named == [s.what for s in purposes.SEALED]
    for row, sealed in zip(rows, purposes.SEALED, strict=True):
        assert f"| {sealed.key} | {sealed.opened_by} |" in row, row
    in_doc = set(re.findall(r"`(\w+\.\w+)`", rows[0]))
    assert in_doc == {
        f"{model.__name__}.{name}" for model, names in sealed_fields() for name in names
    }
    for column in purposes.NOT_SECRET:
        assert f"`{column}`" in section


def _builds_purpose(node: ast.AST) -> bool:
    """A string, an f-string or ``….encode()`` written in place."""
    for inner in ast.walk(node):
        if isinstance(inner, ast.JoinedStr):
            return True
        if isinstance(inner, ast.Constant) and isinstance(inner.value, str | bytes):
            return True
        if isinstance(inner, ast.Attribute) and inner.attr == "encode":
            return True
    return False


def test_no_other_module_builds_associated_data():
    found = []
    for path in SRC.rglob("*.py"):
        if path.name in ("purposes.py", "crypto.py") and path.parent.name == "accounts":
            continue
        if "migrations" in path.parts or "analysis" in path.parts:
            continue
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and node.name.endswith("_aad"):
                found.append(f"{path.relative_to(SRC)}:{node.lineno} defines {node.name}")
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            position = PURPOSE_ARGUMENT.get(node.func.attr)
            if position is None or len(node.args) <= position:
                continue
            if _builds_purpose(node.args[position]):
                found.append(f"{path.relative_to(SRC)}:{node.lineno} {node.func.attr}")
    assert found == []


def test_purposes_are_the_bytes_stored_ciphertexts_were_sealed_with():
    """Changing one would leave every stored ciphertext of its kind unopenable."""
    assert purposes.data_key("cases.person.full_name", 3, 2) == b"cases.person.full_name|org:3|v:2"
    assert purposes.ORGANISATION_PRIVATE_KEY == "accounts.organisation.sealed_private_key"
    assert purposes.EVIDENCE_CONTENT == "cases.evidencefile.content"
    assert purposes.EVIDENCE_STRIPPED == "cases.evidencefile.stripped"
    assert (purposes.BLIND_INDEX, purposes.IMPORT_KEY) == ("blind index", "import key")
    assert purposes.user_private_key(7) == b"user-private-key|user:7"
    assert purposes.grant(3, 2, 7) == b"grant|org:3|v:2|user:7"
    assert (purposes.TOTP_KEY, purposes.totp(7)) == ("totp secret", b"totp|user:7")
    assert (purposes.RECOVERY_KEY, purposes.recovery(3, 2)) == ("recovery", b"recovery|org:3|v:2")
    assert purposes.INVITATION_KEY == "invitation"
    assert purposes.invitation(3, 2) == b"invitation|org:3|v:2"
    assert purposes.SEAL_KEY == "kuzot seal"
    assert purposes.share(9, 3, 4) == b"share|case:9|from:3|to:4"
    assert purposes.linkage(3, 4) == b"linkage|from:3|to:4"
    assert purposes.complaint_content("ab") == b"intake|ab|content"
    assert purposes.complaint_key_to_submitter("ab") == b"intake|ab|submitter"
    assert purposes.complaint_key_to_organisation("ab") == b"intake|ab|organisation"
    assert purposes.complaint_key_to_recipient("ab", 7) == b"intake|ab|recipient:7"
    assert purposes.complaint_message("ab", 5) == b"intake|ab|message:5"
    assert purposes.complaint_file("ab", "f.bin") == b"intake|ab|file:f.bin"
    assert purposes.complaint_file_meta("ab", "f.bin") == b"intake|ab|meta:f.bin"
    assert purposes.backup_frame(1, True) == b"KUZOTBK1" + (1).to_bytes(8, "big") + b"\x01"
    assert purposes.session_secret("kuzot_keyring") == b"kuzot_keyring"
    assert purposes.AUDIT_CHAIN_KEY == "kuzot audit chain"
    assert purposes.AUDIT_CHECKPOINT_KEY == "kuzot audit checkpoint"
