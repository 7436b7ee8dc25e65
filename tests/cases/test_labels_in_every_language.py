"""Data in the reader's language: vocabulary terms, regions and organisation names carry a label
per language, fall back to Russian then English where one is missing, and travel to and from a
translator as a PO file (`kuzot translations export/import`)."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from kuzot.cases.models import Term
from kuzot.cases.translations import translate
from kuzot.languages import Status
from kuzot.stats.actions import publish
from tests.conftest import sign_in
from tests.stats import fixture


@pytest.fixture
def publication(world):
    fixture.ninety(world)
    return publish(
        world.user("a-coordinator"),
        title="Kyrgyzstan 2021-2023",
        coalition_wide=False,
        year_from=2021,
        year_to=2023,
        tables=["agency", "region"],
    )


def _page(client, settings, language: str, url: str) -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_publication_read_in_turkmen_names_agencies_and_regions_in_turkmen(
    client, settings, publication
):
    html = _page(client, settings, "tk", reverse("public_publication", args=[publication.slug]))
    assert "Polisiýa (IIM)" in html and "Çuý welaýaty" in html
    assert "Милиция / полиция (МВД)" not in html and "Чуйская область" not in html


def test_a_missing_label_falls_back_to_russian_then_english(client, settings, publication):
    police = Term.objects.get(vocabulary="agency", code="police", organisation=None)
    translate(None, police, "kk", "", Status.MISSING)
    assert police.label_status("kk") == Status.MISSING
    html = _page(client, settings, "kk", reverse("public_publication", args=[publication.slug]))
    assert "Милиция / полиция (МВД)" in html
    police.label_ru = ""
    assert police.label_in("kk") == "Police (internal affairs)"


def test_the_complaint_form_in_kazakh_names_the_organisation_and_the_agencies_in_kazakh(
    world, client, settings
):
    organisation = world.orgs["a"]
    translate(world.user("a-coordinator"), organisation, "kk", "А ұйымы", Status.TRANSLATED)
    html = _page(client, settings, "kk", reverse("organisation_complaint", args=["a"]))
    assert "А ұйымы" in html and "Organisation A" not in html
    assert "Ұлттық қауіпсіздік қызметі" in html
    assert "Служба национальной безопасности" not in html


def test_shipped_labels_are_suggestions_until_a_translator_checks_them(world):
    beating = Term.objects.get(vocabulary="act_type", code="beating", organisation=None)
    assert beating.label_in("ky") == "Сабоо"
    assert beating.label_status("ky") == Status.SUGGESTED
    assert beating.label_status("ru") == Status.TRANSLATED


def test_a_translator_fills_an_exported_file_and_the_import_updates_the_labels(world, tmp_path):
    own = Term.objects.create(
        vocabulary="context", code="checkpoint", label_en="Checkpoint", label_ru="Блокпост",
        organisation=world.orgs["a"],
    )
    exported = tmp_path / "tk.po"
    call_command("translations", "export", "--language", "tk", "--organisation", "a", exported)
    text = exported.read_text()
    assert 'msgctxt "term:context:checkpoint:a"' in text and "#. ru: Блокпост" in text
    assert 'msgctxt "organisation:a"' in text
    text = text.replace(
        'msgctxt "term:context:checkpoint:a"\nmsgid "Checkpoint"\nmsgstr ""',
        'msgctxt "term:context:checkpoint:a"\nmsgid "Checkpoint"\nmsgstr "Gözegçilik nokady"',
    ).replace(
        'msgctxt "organisation:a"\nmsgid "Organisation A"\nmsgstr ""',
        '#, fuzzy\nmsgctxt "organisation:a"\nmsgid "Organisation A"\nmsgstr "A guramasy"',
    ).replace('msgstr "Urmak-ýenjmek"', 'msgstr "Urmak"')  # a shipped term: not theirs
    exported.write_text(text)
    refused = io.StringIO()
    call_command(
        "translations", "import", "--language", "tk", "--organisation", "a", exported,
        stderr=refused,
    )
    assert "Not a's to change (left alone): term:act_type:beating" in refused.getvalue()
    own.refresh_from_db()
    world.orgs["a"].refresh_from_db()
    assert own.label_in("tk") == "Gözegçilik nokady"
    assert own.label_status("tk") == Status.TRANSLATED
    assert world.orgs["a"].label_in("tk") == "A guramasy"
    assert world.orgs["a"].label_status("tk") == Status.SUGGESTED
    beating = Term.objects.get(vocabulary="act_type", code="beating", organisation=None)
    assert beating.label_in("tk") == "Urmak-ýenjmek"


def test_a_file_that_is_not_a_po_file_is_refused_with_a_message(world, tmp_path):
    broken = tmp_path / "broken.po"
    broken.write_bytes(b'msgid "x"\nmsgstr "y\n\x00\xff')
    with pytest.raises(CommandError, match="not a PO file"):
        call_command("translations", "import", "--language", "tk", broken)
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("translations", "import", "--language", "tk", tmp_path / "missing.po")


def test_a_coordinator_translates_the_organisations_name_on_the_translation_screen(
    world, client
):
    sign_in(client, world.user("a-coordinator"))
    page = client.get(reverse("translations"), {"language": "tg", "open": "on"}).content.decode()
    assert "Missing: 1." in page  # the organisation's name; every shipped term is suggested
    assert "Сабоо" not in page and "Латукӯб" in page  # Tajik, read-only: shipped
    response = client.post(
        f"{reverse('translations')}?language=tg",
        {"text:organisation:a": "Ташкилоти А", "status:organisation:a": ""},
    )
    assert response.status_code == 302
    world.orgs["a"].refresh_from_db()
    assert world.orgs["a"].label_in("tg") == "Ташкилоти А"
    assert world.orgs["a"].label_status("tg") == Status.TRANSLATED
    assert "Missing: 0." in client.get(response["Location"]).content.decode()
