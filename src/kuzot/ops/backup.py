"""One encrypted archive of the database and the media folder.

The archive is a tar (``database.json`` from Django's serialiser, ``media/…``) encrypted in
1 MiB AES-256-GCM frames under a key derived from a passphrase by Argon2id. Identities inside
are already ciphertext under the organisations' data keys, which the archive does not hold.
"""

import io
import json
import os
import struct
import sys
import tarfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.core.management import call_command

from kuzot.accounts import crypto

MAGIC = b"KUZOTBK1"
FRAME = 1 << 20
EXCLUDED = ["contenttypes", "auth.permission", "sessions"]
BACKUP_KDF = {"time_cost": 3, "memory_cost": 256 * 1024, "parallelism": 1}


class BackupError(Exception):
    pass


def _frame_aad(index: int, last: bool) -> bytes:
    return MAGIC + struct.pack(">Q?", index, last)


def _encrypt_stream(plain: BinaryIO, out: BinaryIO, passphrase: str) -> None:
    salt = os.urandom(16)
    header = json.dumps({"kdf": BACKUP_KDF}).encode()
    out.write(MAGIC + salt + struct.pack(">I", len(header)) + header)
    key = crypto.password_key(passphrase, salt, BACKUP_KDF)
    index, chunk = 0, plain.read(FRAME)
    while True:
        following = plain.read(FRAME)
        last = not following
        sealed = crypto.encrypt(key, chunk, _frame_aad(index, last))
        out.write(struct.pack(">I?", len(sealed), last) + sealed)
        if last:
            return
        index, chunk = index + 1, following


def _decrypt_stream(source: BinaryIO, passphrase: str) -> Iterator[bytes]:
    if source.read(len(MAGIC)) != MAGIC:
        raise BackupError("this is not a Kuzot backup")
    salt = source.read(16)
    (length,) = struct.unpack(">I", source.read(4))
    params = json.loads(source.read(length))["kdf"]
    key = crypto.password_key(passphrase, salt, params)
    index, last = 0, False
    while not last:
        frame_header = source.read(5)
        if len(frame_header) < 5:
            raise BackupError("the backup is truncated")
        size, last = struct.unpack(">I?", frame_header)
        try:
            yield crypto.decrypt(key, source.read(size), _frame_aad(index, last))
        except crypto.DecryptionError:
            raise BackupError("wrong passphrase, or the backup was altered") from None
        index += 1


def write_backup(path: Path, passphrase: str) -> None:
    database = io.StringIO()
    call_command("dumpdata", exclude=EXCLUDED, natural_foreign=True, indent=None, stdout=database)
    archive = io.BytesIO()
    with tarfile.open(fileobj=archive, mode="w") as tar:
        data = database.getvalue().encode()
        info = tarfile.TarInfo("database.json")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
        if settings.MEDIA_ROOT.exists():
            tar.add(settings.MEDIA_ROOT, arcname="media")
    archive.seek(0)
    tmp = path.with_suffix(path.suffix + ".part")
    with open(tmp, "wb") as out:
        _encrypt_stream(archive, out, passphrase)
    tmp.replace(path)


def restore_backup(path: Path, passphrase: str) -> None:
    """Into an empty database (migrated here) and media folder."""
    with open(path, "rb") as source:
        archive = io.BytesIO(b"".join(_decrypt_stream(source, passphrase)))
    call_command("migrate", verbosity=0)
    from kuzot.accounts.models import User

    if User.objects.exists():
        raise BackupError("the database is not empty: restore into a fresh installation")
    with tarfile.open(fileobj=archive, mode="r") as tar:
        database = tar.extractfile("database.json").read().decode()
        media = [m for m in tar.getmembers() if m.name.startswith("media/")]
        settings.MEDIA_ROOT.mkdir(parents=True, exist_ok=True)
        for member in media:
            member.name = member.name.removeprefix("media/")
        tar.extractall(settings.MEDIA_ROOT, members=media, filter="data")
    stdin = sys.stdin
    try:
        sys.stdin = io.StringIO(database)
        call_command("loaddata", "-", format="json", verbosity=0)
    finally:
        sys.stdin = stdin
