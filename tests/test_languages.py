"""English and Russian are complete for everything built; the switcher works without JavaScript."""

import gettext
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

import kuzot

PACKAGE = Path(kuzot.__file__).parent


def catalogue(po: Path) -> dict[str, tuple[str, bool]]:
    """msgid → (msgstr, fuzzy), read from a .po file."""
    entries, msgid, msgstr, fuzzy, field = {}, None, None, False, None
    for line in [*po.read_text().splitlines(), ""]:
        if line.startswith("#,") and "fuzzy" in line:
            fuzzy = True
        elif line.startswith("msgid "):
            msgid, field = line[7:-1], "id"
        elif line.startswith("msgstr "):
            msgstr, field = line[8:-1], "str"
        elif line.startswith('"') and field == "id":
            msgid += line[1:-1]
        elif line.startswith('"') and field == "str":
            msgstr += line[1:-1]
        elif not line.strip() and msgid is not None:
            if msgid:
                entries[msgid] = (msgstr, fuzzy)
            msgid, msgstr, fuzzy, field = None, None, False, None
    return entries


@pytest.mark.parametrize("language", ["ru"])
def test_every_string_is_translated_and_compiled(language):
    po = PACKAGE / "locale" / language / "LC_MESSAGES" / "django.po"
    entries = catalogue(po)
    untranslated = [m for m, (s, fuzzy) in entries.items() if not s or fuzzy]
    assert not untranslated
    with open(po.with_suffix(".mo"), "rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    stale = [m for m, (s, _) in entries.items() if compiled.gettext(_unescape(m)) != _unescape(s)]
    assert not stale, "run: msgfmt -o django.mo django.po"


def _unescape(text: str) -> str:
    return text.encode().decode("unicode_escape").encode("latin-1").decode()


@pytest.mark.skipif(not shutil.which("xgettext"), reason="needs gettext's xgettext")
def test_no_user_facing_string_is_missing_from_the_catalogue(tmp_path):
    copy = tmp_path / "kuzot"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "static"))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "kuzot.settings"}
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "ru", "--ignore", "analysis/*"],
        cwd=copy,
        env=env,
        check=True,
        capture_output=True,
    )
    fresh = catalogue(copy / "locale" / "ru" / "LC_MESSAGES" / "django.po")
    assert [m for m, (s, _) in fresh.items() if not s] == []


def test_pages_speak_russian_when_chosen(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    page = client.get(reverse("login")).content.decode()
    assert '<html lang="ru">' in page and "Вход" in page and "Имя пользователя" in page


def test_the_language_switcher_is_a_plain_form(client):
    response = client.post(reverse("set_language"), {"language": "ru", "next": "/accounts/login/"})
    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ru"
    assert "Вход" in client.get(reverse("login")).content.decode()


def test_dates_and_numbers_follow_the_language():
    from django.utils import formats, translation

    with translation.override("ru"):
        assert (
            formats.number_format(1234567.5, decimal_pos=1, use_l10n=True, force_grouping=True)
            == "1\xa0234\xa0567,5"
        )
    with translation.override("en"):
        assert (
            formats.number_format(1234567.5, decimal_pos=1, use_l10n=True, force_grouping=True)
            == "1,234,567.5"
        )
