"""What an adversary who seized the machine would read: the database file or dump, folders."""

import subprocess
from pathlib import Path

from django.db import connection


def database_bytes() -> bytes:
    settings_dict = connection.settings_dict
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(FULL)")
        path = Path(settings_dict["NAME"])
        files = sorted(str(p) for p in path.parent.glob(path.name + "*"))
        # Read by another process: a close() of this process's own descriptor on the database
        # or its -shm would drop every SQLite lock the process holds on it (POSIX locks), and
        # another connection's last close would then delete the WAL under open connections.
        return subprocess.run(["cat", *files], check=True, capture_output=True).stdout
    dump = subprocess.run(
        [
            "pg_dump",
            "-h",
            settings_dict["HOST"] or "127.0.0.1",
            "-p",
            str(settings_dict["PORT"] or 5432),
            "-U",
            settings_dict["USER"] or "postgres",
            settings_dict["NAME"],
        ],
        check=True,
        capture_output=True,
    )
    return dump.stdout


def folder_bytes(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in Path(folder).rglob("*") if p.is_file())
