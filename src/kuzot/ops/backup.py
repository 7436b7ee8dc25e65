"""One encrypted archive of the database and the media folder, written and read in bounded
memory, whatever their size.

The archive is a tar stream: the database as Django's JSON-lines serialisation, cut into
entries of about 1 MiB (``database/000001.jsonl``, …), then ``media/…``; encrypted as it is
produced, in 1 MiB AES-256-GCM frames under a key derived from a passphrase by Argon2id. Frame
numbers and the last-frame flag are authenticated, so truncation and reordering are detected.
Entries carry no time, owner or permissions (time 0, owner 0, mode 0600): a file's time would
tell when a complaint's file was written. Identities inside are already ciphertext under the
organisations' data keys, which the archive does not hold; nor does it hold the audit key.

A restore into an installation with another audit key re-keys the log (``kuzot.audit.log.
rekey``): the archive's authentication vouches that it is the log the backup was made from.

Both report progress through ``say`` (a line at each phase, then at most one a second): a
backup of a large installation takes minutes. A failed restore leaves the installation as it
found it: no rows, no media files, no folders it created.
"""

import io
import json
import os
import struct
import sys
import tarfile
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.core.management import call_command
from django.db import transaction

from kuzot.accounts import crypto, purposes

MAGIC = purposes.BACKUP_MAGIC
FRAME = 1 << 20
EXCLUDED = ["contenttypes", "auth.permission", "sessions"]
BACKUP_KDF = {"time_cost": 3, "memory_cost": 256 * 1024, "parallelism": 1}
DATABASE = "database/"
OLD_DATABASE = "database.json"  # archives of Kuzot 0.1: one entry, read whole


class BackupError(Exception):
    pass


class Progress:
    """Passes a phase's line on at once, and lines within a phase at most once a second."""

    def __init__(self, say: Callable[[str], None] | None):
        self.say, self.last = say, 0.0

    def phase(self, text: str) -> None:
        if self.say is not None:
            self.say(text)
            self.last = time.monotonic()

    def step(self, text: str) -> None:
        if self.say is not None and time.monotonic() - self.last >= 1:
            self.phase(text)


def _mib(size: int) -> str:
    return f"{size / (1 << 20):,.1f} MiB"


class _SealedWriter:
    """Encrypts what is written to it, frame by frame; ``finish`` writes the last frame."""

    def __init__(self, out: BinaryIO, key: bytes):
        self.out, self.key, self.buffer, self.index = out, key, bytearray(), 0

    def write(self, data: bytes) -> int:
        self.buffer += data
        while len(self.buffer) > FRAME:  # keep at least one byte back for the last frame
            self._frame(bytes(self.buffer[:FRAME]), last=False)
            del self.buffer[:FRAME]
        return len(data)

    def _frame(self, chunk: bytes, last: bool) -> None:
        sealed = crypto.encrypt(self.key, chunk, purposes.backup_frame(self.index, last))
        self.out.write(struct.pack(">I?", len(sealed), last) + sealed)
        self.index += 1

    def finish(self) -> None:
        self._frame(bytes(self.buffer), last=True)


def _open_frames(source: BinaryIO, passphrase: str) -> Iterator[bytes]:
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
            yield crypto.decrypt(key, source.read(size), purposes.backup_frame(index, last))
        except crypto.DecryptionError:
            raise BackupError("wrong passphrase, or the backup was altered") from None
        index += 1


class _ChunkReader(io.RawIOBase):
    """A readable file over an iterator of byte chunks (the decrypted frames)."""

    def __init__(self, chunks: Iterable[bytes]):
        self.chunks, self.chunk, self.offset = iter(chunks), b"", 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while self.offset == len(self.chunk):
            self.chunk, self.offset = next(self.chunks, None), 0
            if self.chunk is None:
                self.chunk = b""
                return 0
        n = min(len(buffer), len(self.chunk) - self.offset)
        buffer[:n] = memoryview(self.chunk)[self.offset : self.offset + n]
        self.offset += n
        return n


def _entry(name: str, size: int) -> tarfile.TarInfo:
    """A tar entry that says nothing but its name and size."""
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = size, 0, 0o600
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    return info


class _DatabaseEntries:
    """Where ``dumpdata`` writes: every ~1 MiB of whole JSON lines becomes one tar entry."""

    def __init__(self, tar: tarfile.TarFile, progress: Progress):
        self.tar, self.buffer, self.count, self.size = tar, bytearray(), 0, 0
        self.progress = progress

    def write(self, text: str) -> None:
        self.buffer += text.encode()
        if len(self.buffer) >= FRAME and (end := self.buffer.rfind(b"\n") + 1):
            self._entry(bytes(self.buffer[:end]))
            del self.buffer[:end]

    def flush(self) -> None:
        pass

    def _entry(self, data: bytes) -> None:
        self.count += 1
        self.size += len(data)
        self.tar.addfile(_entry(f"{DATABASE}{self.count:06d}.jsonl", len(data)), io.BytesIO(data))
        self.progress.step(f"database: {_mib(self.size)}")

    def finish(self) -> None:
        if self.buffer:
            self._entry(bytes(self.buffer))


def write_backup(path: Path, passphrase: str, say: Callable[[str], None] | None = None) -> None:
    progress = Progress(say)
    salt = os.urandom(16)
    header = json.dumps({"kdf": BACKUP_KDF}).encode()
    progress.phase("deriving the archive's key from the passphrase")
    key = crypto.password_key(passphrase, salt, BACKUP_KDF)
    tmp = path.with_suffix(path.suffix + ".part")
    try:
        with open(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as out:
            out.write(MAGIC + salt + struct.pack(">I", len(header)) + header)
            sealed = _SealedWriter(out, key)
            with tarfile.open(fileobj=sealed, mode="w|") as tar:
                progress.phase("database: writing")
                database = _DatabaseEntries(tar, progress)
                call_command(
                    "dumpdata",
                    exclude=EXCLUDED,
                    natural_foreign=True,
                    format="jsonl",
                    stdout=database,
                )
                database.finish()
                progress.phase(f"database: {_mib(database.size)}, done")
                media = Path(settings.MEDIA_ROOT)
                files = sorted(p for p in media.rglob("*") if p.is_file())
                progress.phase(f"media files: {len(files):,}")
                size = 0
                for done, file in enumerate(files, 1):
                    name = f"media/{file.relative_to(media).as_posix()}"
                    with open(file, "rb") as content:
                        size += os.fstat(content.fileno()).st_size
                        tar.addfile(_entry(name, os.fstat(content.fileno()).st_size), content)
                    progress.step(f"media files: {done:,} of {len(files):,}, {_mib(size)}")
                progress.phase(f"media files: {len(files):,}, {_mib(size)}, done")
            sealed.finish()
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)


class _DatabaseLines:
    """The database entries at the head of the archive, as one stream for ``loaddata``;
    leaves ``member`` at the first entry after them."""

    def __init__(
        self, tar: tarfile.TarFile, members: Iterator[tarfile.TarInfo], progress: Progress
    ):
        self.tar, self.members, self.progress, self.size = tar, members, progress, 0
        self.member = next(members, None)

    def is_database(self) -> bool:
        return self.member is not None and (
            self.member.name == OLD_DATABASE or self.member.name.startswith(DATABASE)
        )

    def __iter__(self) -> Iterator[bytes]:
        while self.is_database():
            yield from self.tar.extractfile(self.member)
            self.size += self.member.size
            self.progress.step(f"database: {_mib(self.size)}")
            self.member = next(self.members, None)

    def read(self) -> bytes:  # the JSON deserialiser of old archives reads it whole
        return b"".join(self)

    def close(self) -> None:
        pass


def restore_backup(
    path: Path, passphrase: str, say: Callable[[str], None] | None = None
) -> dict[str, int]:
    """Into an empty database (migrated here) and media folder, all or nothing: a damaged
    archive leaves neither rows nor files nor folders. Returns what re-keying the audit log
    counted (nothing when the log was written under this installation's audit key)."""
    from kuzot.accounts.models import User

    progress = Progress(say)
    with open(path, "rb") as source:
        progress.phase("deriving the archive's key from the passphrase")
        plain = io.BufferedReader(_ChunkReader(_open_frames(source, passphrase)), FRAME)
        plain.peek(1)  # a wrong passphrase is found before anything is written
        progress.phase("database: creating the tables")
        call_command("migrate", verbosity=0)
        if User.objects.exists():
            raise BackupError("the database is not empty: restore into a fresh installation")
        created: list[Path] = []
        try:
            with tarfile.open(fileobj=plain, mode="r|") as tar, transaction.atomic():
                return _restore(tar, created, progress)
        except BaseException as error:
            progress.phase("failed: removing what was restored")
            _remove(created)
            if isinstance(error, tarfile.TarError):
                raise BackupError("the backup is damaged") from error
            raise


def _remove(created: list[Path]) -> None:
    """The files and the folders (then empty) a failed restore created, newest first."""
    for path in reversed(created):
        if path.is_dir() and not path.is_symlink():
            try:
                path.rmdir()
            except OSError:  # a file we did not write is in it: keep it
                pass
        else:
            path.unlink(missing_ok=True)


def _missing_folders(path: Path) -> list[Path]:
    """The folders above ``path`` that do not exist yet, outermost first."""
    return [parent for parent in reversed(path.parents) if not parent.exists()]


def _restore(tar: tarfile.TarFile, created: list[Path], progress: Progress) -> dict[str, int]:
    from kuzot.audit import keys
    from kuzot.audit.log import rekey
    from kuzot.audit.models import AuditHead

    members = iter(tar)
    database = _DatabaseLines(tar, members, progress)
    if not database.is_database():
        raise BackupError("the backup holds no database")
    _loaddata(database, "json" if database.member.name == OLD_DATABASE else "jsonl")
    progress.phase(f"database: {_mib(database.size)}, done")
    written_under = AuditHead.objects.filter(chain="timed").first()
    rekeyed = {}
    if written_under is not None and written_under.key_id != keys.key_id():
        progress.phase("audit log: re-keying under this installation's key")
        rekeyed = rekey(written_under.key_id)
    media_root = Path(settings.MEDIA_ROOT)
    created += _missing_folders(media_root / "x")
    media_root.mkdir(parents=True, exist_ok=True)
    member, count, size = database.member, 0, 0
    while member is not None:
        if member.name.startswith("media/"):
            member.name = member.name.removeprefix("media/")
            target = media_root / member.name
            created += [*_missing_folders(target), target]
            tar.extract(member, media_root, filter="data")
            count, size = count + 1, size + member.size
            progress.step(f"media files: {count:,}, {_mib(size)}")
        member = next(members, None)
    progress.phase(f"media files: {count:,}, {_mib(size)}, done")
    return rekeyed


def _loaddata(stream: _DatabaseLines, format: str) -> None:
    stdin = sys.stdin
    try:
        sys.stdin = stream
        call_command("loaddata", "-", format=format, verbosity=0)
    finally:
        sys.stdin = stdin
