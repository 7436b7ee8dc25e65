"""A re-import adds nothing, through import keys that need the organisation's key: the database
alone does not let anyone test a guessed name against them."""

from django.db.models import Q

from kuzot.accounts import keys
from kuzot.accounts.vault import sealed_context
from kuzot.cases import imports
from kuzot.cases.models import Case

REGISTER = (
    "ФИО;Дата обращения;Пол;Год рождения;Регион;Вид пыток;Дата пыток\n"
    "Иванов Иван;01.02.2023;М;1990;Бишкек;Избиение;2023-01-20\n"
    "Петров Пётр;02.02.2023;М;1985;Чуйская область;beating;01.2023\n"
).encode()


def run(world, org_vault):
    table = imports.read_table(REGISTER, "register.csv")
    return imports.run_import(
        world.user("a-lawyer"), org_vault, table, imports.guess_mapping(table.headers)
    )


def test_an_attacker_who_knows_the_whole_row_cannot_test_it_against_the_database(world):
    """The strongest dictionary attack: every field of the row guessed right, name included."""
    org_vault = world.vault("a")
    assert run(world, org_vault).counts["imported"] == 2
    table = imports.read_table(REGISTER, "register.csv")
    mapping = imports.guess_mapping(table.headers)
    organisation = world.orgs["a"].pk
    for _line, values in table.rows:
        row = {field: imports._text(v) for field, v in zip(mapping, values, strict=True)}
        unkeyed = imports.import_fingerprint(organisation, row)
        assert not Case.objects.filter(Q(import_key=unkeyed) | Q(reference=unkeyed)).exists()
        # What the case keeps of it is sealed: readable with the key only.
        sealed = Case.objects.filter(import_fingerprint__isnull=False).values_list(
            "import_fingerprint", flat=True
        )
        context = sealed_context(Case, "import_fingerprint")
        assert unkeyed in {org_vault.open(blob, context) for blob in sealed}


def test_after_a_key_rotation_importing_the_same_file_again_adds_nothing(world):
    old = world.vault("a")
    run(world, old)
    before = set(Case.objects.values_list("import_key", flat=True))
    keys.rotate(world.user("a-coordinator"), world.orgs["a"], old)
    after = set(Case.objects.values_list("import_key", flat=True))
    assert len(after) == 2 and not before & after  # a stolen old key tests nothing new

    again = run(world, world.vault("a"))
    assert again.counts == {
        "rows": 2, "good": 0, "imported": 0, "already_imported": 2, "failed": 0,
    }  # fmt: skip
    assert Case.objects.count() == 2
