"""The encrypted file store: evidence files and complaint attachments, one writer and one reader.

Files live in a folder of the media folder per store, under random names, as ciphertext only:
each store is given a ``Lock`` that encrypts a file bound to its purpose (and, for complaint
attachments, to its name; ``kuzot.accounts.purposes``). ``STORES`` names, for each folder, the
rows that name its files, so that ``kuzot sweep_files`` finds the files no row names.

A file's times would tell when it was written, to the second, and so a complaint's time of
day, which Kuzot promises to keep to the date: every file is written with its access and
modification times, and those of the folders above it up to the media folder, set to midnight
(UTC) of the day. (The change time, ctime, cannot be set by a program; docs/security.md says
what that leaves.)
"""

import os
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.utils import timezone

from kuzot.accounts import crypto


@dataclass(frozen=True)
class Lock:
    """How the files of one kind are encrypted: ``seal(data, name)``, ``open(blob, name)``."""

    seal: Callable[[bytes, str], bytes]
    open: Callable[[bytes, str], bytes]


def data_key_lock(vault, context: str) -> Lock:
    """Files sealed under an organisation's data key (``Vault``), bound to ``context``."""
    return Lock(
        lambda data, _name: vault.seal_bytes(data, context),
        lambda blob, _name: vault.open_bytes(blob, context),
    )


def key_lock(key: bytes, aad: Callable[[str], bytes]) -> Lock:
    """Files encrypted under ``key``, each bound to ``aad(its name)``."""
    return Lock(
        lambda data, name: crypto.encrypt(key, data, aad(name)),
        lambda blob, name: crypto.decrypt(key, blob, aad(name)),
    )


def _midnight() -> float:
    today = timezone.now().astimezone(UTC).date()
    return datetime(today.year, today.month, today.day, tzinfo=UTC).timestamp()


def write_file(path: Path, data: bytes) -> None:
    """Write a new file (ciphertext only) with the day's date and no time of day."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as out:
        out.write(data)
    midnight = _midnight()
    root = Path(settings.MEDIA_ROOT)
    for written in [path, *(p for p in path.parents if p.is_relative_to(root))]:
        os.utime(written, (midnight, midnight))


@dataclass(frozen=True)
class FileStore:
    """One folder of encrypted files, and the rows (``"app.Model"``, fields) that name them."""

    folder: str
    named_by: tuple[tuple[str, tuple[str, ...]], ...]

    def path(self, name: str) -> Path:
        return Path(settings.MEDIA_ROOT) / self.folder / name

    def add(self, data: bytes, lock: Lock) -> str:
        """Encrypt and write a new file; its random name."""
        name = f"{secrets.token_hex(16)}.bin"
        write_file(self.path(name), lock.seal(data, name))
        return name

    def read(self, name: str, lock: Lock) -> bytes:
        return lock.open(self.path(name).read_bytes(), name)

    def remove(self, names: Iterable[str]) -> None:
        for name in names:
            self.path(name).unlink(missing_ok=True)

    def named(self) -> set[str]:
        """Every file name a row names."""
        names: set[str] = set()
        for label, fields in self.named_by:
            model = apps.get_model(label)
            for field in fields:
                names.update(model.objects.exclude(**{field: ""}).values_list(field, flat=True))
        return names


EVIDENCE = FileStore("evidence", (("cases.EvidenceFile", ("stored_as", "stripped_as")),))
COMPLAINT_ATTACHMENTS = FileStore("intake", (("intake.Attachment", ("stored_as",)),))
STORES = (EVIDENCE, COMPLAINT_ATTACHMENTS)
