"""`kuzot backup` writes one encrypted archive; `kuzot restore` brings it back into an empty
installation where users open identities with their own passwords. Run as the real command in
separate processes on the embedded SQLite default, each with its own data folder."""

import io
import json
import os
import sqlite3
import stat
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from kuzot.ops.backup import _open_frames
from kuzot.ops.demo import DEMO_PASSWORD

PASSPHRASE = "backup pass phrase 2026"
CHECK = f"""
import json
from kuzot.accounts import vault
from kuzot.accounts.models import User
from kuzot.cases.models import Person
lawyer = User.objects.get(username="kg-lawyer")
org_vault = vault.unlock(lawyer, {DEMO_PASSWORD!r}).vault(lawyer.organisation_id)
context = vault.sealed_context(Person, "full_name")
people = Person.objects.filter(organisation=lawyer.organisation)
names = sorted(org_vault.open(p.full_name, context) for p in people)
print(json.dumps({{
    "users": sorted(User.objects.values_list("username", flat=True)),
    "people": Person.objects.count(),
    "names": names,
}}))
"""


def kuzot(data_dir: Path, *args: str, check: bool = False) -> subprocess.CompletedProcess:
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {"KUZOT_DATABASE_URL", "KUZOT_PRODUCTION", "KUZOT_DEMO", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(KUZOT_DATA_DIR=str(data_dir), KUZOT_KDF_TIME_COST="1", KUZOT_KDF_MEMORY_KIB="1024")
    result = subprocess.run(  # noqa: S603 - our own console script
        [sys.executable, "-m", "kuzot.cli", *args],
        env=env,
        cwd=data_dir.parent,
        capture_output=True,
        stdin=subprocess.DEVNULL,
        start_new_session=True,  # no terminal, as under cron or in a container
        text=True,
        check=False,
    )
    if check:
        assert result.returncode == 0, result.stderr
    return result


COMPLAIN = """
from kuzot.accounts.models import Organisation
from kuzot.intake.actions import Upload, submit
submit(Organisation.objects.get(slug="kg"), {"what_happened": "at night"},
       [Upload("photo.jpg", "image/jpeg", b"\\xff\\xd8\\xff" + b"x" * 5000)])
"""


def contents(data_dir: Path) -> dict:
    result = kuzot(data_dir, "shell", "-c", CHECK, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A demo installation, its backup, and a second installation restored from it."""
    root = tmp_path_factory.mktemp("backup")
    passphrase = root / "passphrase"
    passphrase.write_text(PASSPHRASE + "\n")
    original, restored, archive = root / "original", root / "restored", root / "kuzot.backup"
    kuzot(original, "demo", check=True)
    kuzot(original, "shell", "-c", COMPLAIN, check=True)
    written = kuzot(original, "backup", str(archive), "--passphrase-file", str(passphrase))
    assert written.returncode == 0, written.stderr
    restore = kuzot(restored, "restore", str(archive), "--passphrase-file", str(passphrase))
    return {
        "root": root,
        "original": original,
        "restored": restored,
        "archive": archive,
        "passphrase": passphrase,
        "restore": restore,
    }


def refused(result: subprocess.CompletedProcess, message: str) -> bool:
    return (
        result.returncode != 0
        and message in result.stderr
        and "Traceback" not in result.stderr + result.stdout
    )


def test_the_backup_holds_no_readable_name(site):
    data = site["archive"].read_bytes()
    assert data.startswith(b"KUZOTBK1")
    for text in ("kg-lawyer", "Аскаров", "database.json", DEMO_PASSWORD):
        assert text.encode() not in data


def test_restore_into_an_empty_installation_brings_everyone_back(site):
    assert site["restore"].returncode == 0, site["restore"].stderr
    assert "Restored" in site["restore"].stdout
    before, after = contents(site["original"]), contents(site["restored"])
    assert after == before
    assert "kg-lawyer" in after["users"] and after["people"] >= 9
    assert "Азимжан Аскаров" in after["names"], "the demo password still opens the identities"


def test_the_restored_audit_log_verifies_and_an_edited_row_is_caught(site):
    result = kuzot(site["restored"], "audit", "verify")
    assert result.returncode == 0, result.stderr
    assert "intact" in result.stdout

    edited = site["root"] / "edited"
    edited.mkdir()
    (edited / "audit_key").write_bytes((site["restored"] / "audit_key").read_bytes())
    source = sqlite3.connect(site["restored"] / "kuzot.sqlite3")
    source.execute("VACUUM INTO ?", [str(edited / "kuzot.sqlite3")])
    source.close()
    copy = sqlite3.connect(edited / "kuzot.sqlite3")
    with copy:
        copy.execute(
            "UPDATE audit_auditevent SET actor_name = 'someone-else' "
            "WHERE id = (SELECT MIN(id) FROM audit_auditevent WHERE actor_name = 'kg-lawyer')"
        )
    copy.close()
    result = kuzot(edited, "audit", "verify")
    assert result.returncode != 0
    assert "contents do not match" in result.stderr


def test_a_wrong_passphrase_is_a_clear_error(site):
    wrong = site["root"] / "wrong-passphrase"
    wrong.write_text("not the passphrase at all")
    target = site["root"] / "wrong"
    result = kuzot(target, "restore", str(site["archive"]), "--passphrase-file", str(wrong))
    assert refused(result, "wrong passphrase"), result.stderr


@pytest.mark.parametrize("keep", [0.5, 0.0])
def test_a_truncated_backup_is_refused(site, keep):
    data = site["archive"].read_bytes()
    header = 8 + 16 + 4 + int.from_bytes(data[24:28], "big")
    cut = site["root"] / f"truncated-{keep}.backup"
    cut.write_bytes(data[: header + int((len(data) - header) * keep)])
    target = site["root"] / f"truncated-{keep}"
    result = kuzot(target, "restore", str(cut), "--passphrase-file", str(site["passphrase"]))
    assert result.returncode != 0
    assert refused(result, "truncated") or refused(result, "altered"), result.stderr


COUNT_USERS = "from kuzot.accounts.models import User; print(User.objects.count())"


def test_a_restore_that_fails_in_the_media_files_leaves_nothing_behind(site, tmp_path):
    """An archive cut in its media files (3 MiB in a folder of their own): the restore stops
    with a message, and neither the files and folders it had written nor a row stay."""
    source = tmp_path / "source"
    kuzot(source, "migrate", check=True)
    (source / "media" / "evidence" / "2026").mkdir(parents=True)
    (source / "media" / "evidence" / "2026" / "a.bin").write_bytes(os.urandom(1 << 20))
    (source / "media" / "evidence" / "2026" / "b.bin").write_bytes(os.urandom(2 << 20))
    archive = tmp_path / "media.backup"
    kuzot(source, "backup", str(archive), "--passphrase-file", str(site["passphrase"]), check=True)
    data = archive.read_bytes()
    (tmp_path / "cut.backup").write_bytes(data[: int(len(data) * 0.9)])

    target = tmp_path / "target"
    kuzot(target, "migrate", check=True)
    media_before = sorted(p.name for p in (target / "media").rglob("*"))
    result = kuzot(
        target,
        "restore",
        str(tmp_path / "cut.backup"),
        "--passphrase-file",
        str(site["passphrase"]),
    )
    assert refused(result, "truncated") or refused(result, "altered"), result.stderr
    assert "removing what was restored" in result.stderr
    assert sorted(p.name for p in (target / "media").rglob("*")) == media_before
    counted = kuzot(target, "shell", "-c", COUNT_USERS, check=True)
    assert counted.stdout.strip().splitlines()[-1] == "0"


def test_backup_and_restore_show_their_progress(site):
    """On standard error, a line per phase; standard output still says only what was done."""
    written = kuzot(
        site["original"],
        "backup",
        str(site["root"] / "progress.backup"),
        "--passphrase-file",
        str(site["passphrase"]),
        check=True,
    )
    for phase in ("deriving", "database: writing", "database: ", "media files: 1, "):
        assert f"kuzot backup: {phase}" in written.stderr, written.stderr
    assert "MiB, done" in written.stderr
    assert written.stdout.startswith("Backup written")
    restored = site["restore"]
    for phase in ("deriving", "database: creating the tables", "media files: 1, "):
        assert f"kuzot restore: {phase}" in restored.stderr, restored.stderr


@pytest.mark.parametrize(
    ("command", "option"),
    [
        (["backup", "x.backup"], "--passphrase-file"),
        (["restore", "ARCHIVE"], "--passphrase-file"),
        (["export", "--organisation", "kg", "--user", "kg-lawyer", "--out", "x.csv"],
         "--password-file"),
    ],
)  # fmt: skip
def test_without_a_terminal_a_command_says_which_option_gives_the_secret(site, command, option):
    args = [str(site["archive"]) if a == "ARCHIVE" else a for a in command]
    result = kuzot(site["original"], *args)
    assert refused(result, f"give it in a file with {option} FILE"), result.stderr
    assert "EOFError" not in result.stderr


def test_a_backup_is_not_restored_over_an_installation_with_data(site):
    result = kuzot(
        site["original"],
        "restore",
        str(site["archive"]),
        "--passphrase-file",
        str(site["passphrase"]),
    )
    assert refused(result, "not empty"), result.stderr


def test_a_missing_file_or_short_passphrase_is_a_clear_error(site):
    result = kuzot(site["root"] / "none", "restore", str(site["root"] / "nothing-here"))
    assert refused(result, "no such file"), result.stderr
    short = site["root"] / "short"
    short.write_text("short")
    result = kuzot(
        site["original"], "backup", str(site["root"] / "x.backup"), "--passphrase-file", str(short)
    )
    assert refused(result, "at least 12 characters"), result.stderr


def archive_entries(site) -> list[tarfile.TarInfo]:
    with open(site["archive"], "rb") as source:
        plain = b"".join(_open_frames(source, PASSPHRASE))
    with tarfile.open(fileobj=io.BytesIO(plain)) as tar:
        return tar.getmembers()


def test_the_backup_entries_carry_no_time_owner_or_mode(site):
    """A file's time in the archive would tell when a complaint's attachment was written."""
    entries = archive_entries(site)
    assert any(e.name.startswith("media/intake/") for e in entries), "the complaint's file"
    assert any(e.name.startswith("database/") for e in entries)
    for entry in entries:
        assert entry.isfile(), entry.name
        assert (entry.mtime, entry.uid, entry.gid, entry.uname, entry.gname, entry.mode) == (
            0, 0, 0, "", "", 0o600,
        ), entry.name  # fmt: skip


def test_the_restored_complaint_file_is_back(site):
    original = sorted(p.name for p in (site["original"] / "media" / "intake").iterdir())
    restored = sorted(p.name for p in (site["restored"] / "media" / "intake").iterdir())
    assert restored == original and len(original) == 1


def test_the_data_files_are_readable_by_their_owner_only(site):
    """The database, media, secret and audit key files and the backup: 0600, folders 0700,
    whatever the umask of whoever ran the command (this test's is the usual 022)."""
    original = site["original"]
    paths = [
        original, original / "kuzot.sqlite3", original / "secret_key", original / "audit_key",
        site["archive"], *(original / "media").rglob("*"), *site["restored"].rglob("*"),
    ]  # fmt: skip
    paths = [p for p in paths if not p.is_relative_to(original / "static")]
    loose = {
        str(p): oct(stat.S_IMODE(p.stat().st_mode))
        for p in paths
        if stat.S_IMODE(p.stat().st_mode) & 0o077
    }
    assert not loose


def test_restoring_with_the_same_audit_key_keeps_checkpoints_valid(site):
    """The old audit key copied into the new data folder before the restore: nothing is
    re-keyed, and a checkpoint taken on the original still proves the restored log."""
    kept = site["root"] / "checkpoint.json"
    kuzot(site["original"], "audit", "checkpoint", "--out", str(kept), check=True)
    # the checkpoint counts its own export: back up again so that the backup holds it
    archive = site["root"] / "with-checkpoint.backup"
    kuzot(site["original"], "backup", str(archive), "--passphrase-file", str(site["passphrase"]))
    target = site["root"] / "same-key"
    target.mkdir()
    (target / "audit_key").write_bytes((site["original"] / "audit_key").read_bytes())
    result = kuzot(target, "restore", str(archive), "--passphrase-file", str(site["passphrase"]))
    assert result.returncode == 0, result.stderr
    assert "re-keyed" not in result.stdout
    verified = kuzot(target, "audit", "verify", "--checkpoint", str(kept))
    assert verified.returncode == 0, verified.stderr


def test_restoring_under_another_audit_key_re_keys_the_log_and_says_so(site):
    assert "re-keyed" in site["restore"].stdout
    result = kuzot(site["restored"], "audit", "verify")
    assert result.returncode == 0, result.stderr


PEAK_MEMORY = """
import resource, sys
from kuzot.cli import main
try:
    main(sys.argv[1:])
finally:
    print("peak", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
"""


def test_a_backup_of_a_media_folder_bigger_than_memory_is_written_in_bounded_memory(tmp_path, site):
    """The archive is streamed: 128 MiB of media more than another backup of the same
    installation adds far less than that to the process's peak memory."""

    def peak_kib(data_dir: Path, archive: Path) -> int:
        env = {k: v for k, v in os.environ.items() if k != "KUZOT_DATABASE_URL"}
        env.update(KUZOT_DATA_DIR=str(data_dir))
        result = subprocess.run(  # noqa: S603 - our own console script
            [sys.executable, "-c", PEAK_MEMORY, "kuzot", "backup", str(archive),
             "--passphrase-file", str(site["passphrase"])],
            env=env, cwd=tmp_path, capture_output=True, text=True, check=False,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        return int(result.stderr.split("peak")[-1])

    data_dir = tmp_path / "big"
    kuzot(data_dir, "migrate", check=True)
    small = peak_kib(data_dir, tmp_path / "small.backup")
    media = data_dir / "media" / "evidence"
    media.mkdir(parents=True)
    for i in range(8):
        (media / f"{i}.bin").write_bytes(os.urandom(16 << 20))
    big = peak_kib(data_dir, tmp_path / "big.backup")
    assert (tmp_path / "big.backup").stat().st_size > 128 << 20
    assert big - small < 32 << 10, f"peak memory grew by {(big - small) >> 10} MiB"


def test_an_archive_of_kuzot_0_1_is_still_restored(site):
    """Kuzot 0.1 wrote the whole database as one ``database.json`` entry."""
    from kuzot.accounts import crypto
    from kuzot.ops.backup import BACKUP_KDF, MAGIC, _SealedWriter

    dump = kuzot(
        site["original"], "dumpdata", "--natural-foreign", "--exclude", "contenttypes",
        "--exclude", "auth.permission", "--exclude", "sessions", check=True,
    ).stdout.encode()  # fmt: skip
    plain = io.BytesIO()
    with tarfile.open(fileobj=plain, mode="w") as tar:
        info = tarfile.TarInfo("database.json")
        info.size = len(dump)
        tar.addfile(info, io.BytesIO(dump))
    salt, header = os.urandom(16), json.dumps({"kdf": BACKUP_KDF}).encode()
    old = site["root"] / "old.backup"
    with open(old, "wb") as out:
        out.write(MAGIC + salt + len(header).to_bytes(4, "big") + header)
        sealed = _SealedWriter(out, crypto.password_key(PASSPHRASE, salt, BACKUP_KDF))
        sealed.write(plain.getvalue())
        sealed.finish()
    target = site["root"] / "from-0.1"
    result = kuzot(target, "restore", str(old), "--passphrase-file", str(site["passphrase"]))
    assert result.returncode == 0, result.stderr
    assert contents(target)["users"] == contents(site["original"])["users"]
