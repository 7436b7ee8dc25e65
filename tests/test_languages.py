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
        elif line.startswith("msgstr ") or line.startswith("msgstr[0] "):
            msgstr, field = line.split(" ", 1)[1][1:-1], "str"
        elif line.startswith(("msgid_plural ", "msgstr[")):
            field = None
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


PUBLIC_SOURCES = (
    "intake/forms.py",
    "intake/views.py",
    "templates/public_base.html",
    "templates/intake/complaint.html",
    "templates/intake/receipt.html",
    "templates/intake/follow_up.html",
    "templates/intake/conversation.html",
    "templates/stats/public_index.html",
    "templates/stats/public_publication.html",
    "templates/stats/publication_body.html",
    "templates/stats/funnel.html",
    "templates/stats/grid.html",
    "stats/publishing.py",
    "stats/queries.py",
    "templates/recommendations/scorecard.html",
)
STAFF_ONLY = {  # in public modules, but only recipients read them
    "Message to the person who complained",
    "Reason, as the person will read it",
    "Reference of the existing case",
    "Your message is sent. The person reads it with their receipt.",
    "The complaint is now case %(ref)s.",
    "No case of yours has this reference.",
    "The complaint is added to case %(ref)s.",
    "The complaint is marked as not taken up.",
    "It will be kept until %(date)s.",
}


@pytest.mark.parametrize("language", ["ky", "kk", "tg", "uz", "tk"])
def test_public_pages_are_complete_in_the_languages_of_the_region(language):
    po = PACKAGE / "locale" / language / "LC_MESSAGES" / "django.po"
    entries = catalogue(po)
    public = set(_public_msgids(po)) - STAFF_ONLY
    assert len(public) > 50
    assert [m for m in sorted(public) if not entries[m][0] or entries[m][1]] == []


def _public_msgids(po: Path) -> list[str]:
    """msgids whose source references include a public page or form."""
    found, public = [], False
    lines = po.read_text().splitlines()
    for i, line in enumerate(lines):
        if line.startswith("#: "):
            public = public or any(r.split(":")[0] in PUBLIC_SOURCES for r in line[3:].split())
        elif line.startswith("msgid ") and public:
            text, j = line[7:-1], i + 1
            while j < len(lines) and lines[j].startswith('"'):
                text += lines[j][1:-1]
                j += 1
            found.append(text)
            public = False
        elif line.startswith("msgid "):
            public = False
    return found


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
