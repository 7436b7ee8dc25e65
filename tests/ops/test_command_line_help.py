"""`kuzot help` lists Kuzot's own verbs, one line each (the analysis verbs among them), not
Django's; Django's commands are behind `kuzot django …`. Run as the real command."""

import os
import subprocess
import sys


def kuzot(tmp_path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "KUZOT_DATABASE_URL"}
    env["KUZOT_DATA_DIR"] = str(tmp_path / "data")
    return subprocess.run(  # noqa: S603 - our own console script
        [sys.executable, "-m", "kuzot.cli", *args],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )


def verbs(output: str) -> dict[str, str]:
    """The listed verbs and their lines."""
    lines = output.split("Kuzot's verbs:\n")[1].split("\n\n")[0].splitlines()
    return dict(line.strip().split(None, 1) for line in lines)


def test_kuzot_help_lists_kuzots_verbs_one_line_each(tmp_path):
    for args in (["help"], [], ["--help"]):
        result = kuzot(tmp_path, *args)
        assert result.returncode == 0, result.stderr
        listed = verbs(result.stdout)
        for verb in ("link", "estimate", "demo", "serve", "backup", "restore", "report",
                     "import", "export", "keys", "audit", "createadmin"):  # fmt: skip
            assert verb in listed, (verb, result.stdout)
            assert listed[verb].endswith(".") and len(listed[verb]) <= 90, listed[verb]
        assert listed["link"].startswith("Which records of the given lists are the same person")
        for django_own in ("flush", "startproject", "dbshell", "migrate", "shell", "_unlock"):
            assert django_own not in listed
        assert "kuzot django help" in result.stdout


def test_djangos_commands_are_behind_kuzot_django(tmp_path):
    result = kuzot(tmp_path, "django", "help")
    assert result.returncode == 0, result.stderr
    for django_own in ("flush", "startproject", "dbshell", "migrate"):
        assert django_own in result.stdout
    checked = kuzot(tmp_path, "django", "check")
    assert checked.returncode == 0 and "no issues" in checked.stdout, checked.stderr


def test_kuzot_help_verb_shows_the_verbs_options(tmp_path):
    result = kuzot(tmp_path, "help", "backup")
    assert result.returncode == 0 and "--passphrase-file" in result.stdout, result.stderr
    result = kuzot(tmp_path, "help", "link")
    assert result.returncode == 0 and "--engine" in result.stdout, result.stderr
