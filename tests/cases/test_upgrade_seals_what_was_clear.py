"""Upgrading a database written before free text was sealed: the migrations (which hold no key)
delete the unkeyed import digests over names and move every clear free text aside, losing
nothing; the first chance with the key (a member's login, ``kuzot seal_pending``, a rotation)
seals it, and ``kuzot seal_pending`` leaves no trace of the clear values in the database file."""

import hashlib
import io
import json
from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from kuzot.accounts import keys
from kuzot.accounts.vault import sealed_context
from kuzot.cases import imports
from kuzot.cases.models import Allegation, Case, LegalEvent, UnsealedValue
from tests.conftest import PASSWORD
from tests.scanning import database_bytes

BEFORE = [("cases", "0011_allegation_year_statistics")]
CLEAR = {
    "district": "село Кара-Суу, ул. Ленина 5",
    "unit": "следователь Бекмуратов",
    "article": "ст. 143 ч. 2",
    "sentence": "Бекмуратову 5 лет",
    "reference": "Дело Асановой 45/2019",
}
NAME = "Асанова Гульмира"
REGISTER = (
    "Номер дела;Дата обращения;ФИО;Вид пыток;Дата пыток\n"
    f"{CLEAR['reference']};01.03.2019;{NAME};Избиение;2019-02-20\n"
    ";02.03.2019;Осмонов Талант;Избиение;2019-02-21\n"
).encode()


def unkeyed(organisation_id: int, basis: list) -> str:
    """An import key as versions before 0012 wrote it."""
    payload = json.dumps([organisation_id, basis], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode()).hexdigest()


def migrate(target) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(target)


def latest():
    executor = MigrationExecutor(connection)
    return [key for key in executor.loader.graph.leaf_nodes() if key[0] == "cases"]


@pytest.fixture
def old_database(world):
    """Organisation A's register as the version before wrote it: the file above imported (one
    row by its reference, one without), an act and a legal event with free text."""
    newest = latest()
    migrate(BEFORE)
    old = MigrationExecutor(connection).loader.project_state(BEFORE).apps
    org = world.orgs["a"].pk
    Case, Allegation, LegalEvent = (
        old.get_model("cases", name) for name in ("Case", "Allegation", "LegalEvent")
    )
    by_reference = Case.objects.create(
        organisation_id=org,
        reference=CLEAR["reference"],
        intake_date=date(2019, 3, 1),
        import_key=unkeyed(org, ["ref", imports.normalise(CLEAR["reference"])]),
    )
    row = {"intake_date": "02.03.2019", "full_name": "Осмонов Талант"}
    by_content = Case.objects.create(
        organisation_id=org,
        reference="KG-2019-0001",
        intake_date=date(2019, 3, 2),
        import_key=unkeyed(org, ["row", sorted((k, imports.normalise(v)) for k, v in row.items())]),
    )
    Allegation.objects.create(
        case=by_reference,
        organisation_id=org,
        date=date(2019, 2, 20),
        district=CLEAR["district"],
        unit=CLEAR["unit"],
    )
    LegalEvent.objects.create(
        case=by_reference,
        organisation_id=org,
        kind="conviction_lesser",
        date=date(2020, 5, 1),
        article=CLEAR["article"],
        sentence=CLEAR["sentence"],
    )
    try:
        migrate(newest)
        yield {"by_reference": by_reference.pk, "by_content": by_content.pk, **row}
    finally:
        migrate(newest)


def opened(world, record, field: str) -> str:
    return world.vault("a").open(getattr(record, field), sealed_context(type(record), field))


@pytest.mark.django_db(transaction=True)
def test_the_migrations_delete_name_digests_and_move_free_text_aside(world, old_database):
    name_digest = Case.objects.filter(pk=old_database["by_content"]).values_list(
        "import_key", flat=True
    )
    assert list(name_digest) == [""]
    assert not Case.objects.exclude(import_key="").exists()
    waiting = {(v.model, v.field): v.value for v in UnsealedValue.objects.all()}
    assert waiting == {
        ("cases.allegation", "district"): CLEAR["district"],
        ("cases.allegation", "unit"): CLEAR["unit"],
        ("cases.legalevent", "article"): CLEAR["article"],
        ("cases.legalevent", "sentence"): CLEAR["sentence"],
        ("cases.case", "external_reference"): CLEAR["reference"],
    }
    act = Allegation.objects.get()
    assert act.district is None and act.unit is None


@pytest.mark.django_db(transaction=True)
def test_the_first_login_with_the_key_seals_what_waits(world, old_database, signed_in):
    signed_in("a-coordinator")
    assert not UnsealedValue.objects.exists()
    act, event = Allegation.objects.get(), LegalEvent.objects.get()
    assert opened(world, act, "district") == CLEAR["district"]
    assert opened(world, act, "unit") == CLEAR["unit"]
    assert opened(world, event, "article") == CLEAR["article"]
    assert opened(world, event, "sentence") == CLEAR["sentence"]
    case = Case.objects.get(pk=old_database["by_reference"])
    assert opened(world, case, "external_reference") == CLEAR["reference"]
    assert case.reference == "KG-2019-0002"  # Kuzot's number now; 0001 was taken

    # The file imported again: the row with a reference is recognised; the row without one
    # (its unkeyed digest deleted) comes in a second time, as docs/import.md warns.
    table = imports.read_table(REGISTER, "register.csv")
    report = imports.run_import(
        world.user("a-lawyer"), world.vault("a"), table, imports.guess_mapping(table.headers)
    )
    assert report.counts["already_imported"] == 1 and report.counts["imported"] == 1


@pytest.mark.django_db(transaction=True)
def test_kuzot_seal_pending_seals_and_leaves_no_clear_value_in_the_file(
    world, old_database, tmp_path
):
    password = tmp_path / "password"
    password.write_text(PASSWORD)
    out = io.StringIO()
    call_command(
        "seal_pending", organisation="a", user="a-lawyer", password_file=password, stdout=out
    )
    assert "5 values sealed" in out.getvalue()
    assert not UnsealedValue.objects.exists()
    disk = database_bytes()
    for value in CLEAR.values():
        assert value.encode() not in disk, value
    assert (
        unkeyed(world.orgs["a"].pk, ["ref", imports.normalise(CLEAR["reference"])]).encode()
        not in disk
    )


@pytest.mark.django_db(transaction=True)
def test_a_key_rotation_seals_what_waits(world, old_database):
    keys.rotate(world.user("a-coordinator"), world.orgs["a"], world.vault("a"))
    assert not UnsealedValue.objects.exists()
    assert opened(world, Allegation.objects.get(), "unit") == CLEAR["unit"]
    assert Case.objects.get(pk=old_database["by_reference"]).import_key
