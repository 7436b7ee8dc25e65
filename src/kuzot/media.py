"""Ciphertext files in the media folder (evidence, complaint attachments): one writer.

A file's times would tell when it was written, to the second, and so a complaint's time of
day, which Kuzot promises to keep to the date: every file is written with its access and
modification times, and those of the folders above it up to the media folder, set to midnight
(UTC) of the day. (The change time, ctime, cannot be set by a program; docs/security.md says
what that leaves.)
"""

import os
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.utils import timezone


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
