"""Encrypted files that no record names: swept.

Evidence files and complaint attachments are written before the transaction that records them
commits, so that a committed record never lacks its file. A crash between the two (a killed
process, a power cut), or a rolled-back key rotation, leaves a file that no row names:
ciphertext nobody can find, kept for ever. ``sweep`` deletes every file of the media stores
that no row names once it is a day old: no transaction lasts a day, so a file whose record is
about to commit is never taken. ``kuzot sweep_files`` runs it (daily, beside
``kuzot expire_complaints``).
"""

import time
from pathlib import Path

from kuzot.media import STORES

GRACE_SECONDS = 24 * 3600


def orphans(now: float | None = None) -> list[Path]:
    """Files no row names, older than a day (by their last change: writing, or setting their
    times, whichever came later)."""
    now = time.time() if now is None else now
    found = []
    for store in STORES:
        folder = store.path("")
        if not folder.is_dir():
            continue
        # The names first: a file written after this read is younger than a day anyway.
        named = store.named()
        for path in folder.iterdir():
            if path.is_file() and path.name not in named:
                status = path.stat()
                if now - max(status.st_mtime, status.st_ctime) > GRACE_SECONDS:
                    found.append(path)
    return found


def sweep(now: float | None = None) -> list[Path]:
    """Delete the orphaned files; the ones deleted."""
    deleted = orphans(now)
    for path in deleted:
        path.unlink(missing_ok=True)
    return deleted
