"""A seized database gives nothing to guess against: no clear column is a deterministic function
of a sealed value.

The same work is done three times on a fresh data set, each under its own new keys: the demo
data, a register import (rows with and without a reference), a case typed in with every free
text, a complaint accepted as a case, evidence, a share, corrections (their earlier values), a
monitoring visit with an interview and a finding that became a case, and a key rotation. Every
identifying input carries a secret: run A and run C carry the same one, run B another of the
same length and shape. A clear column that is equal in A and C but not in B is a function of the
secret that needs no key (an unkeyed digest of a name, a name typed into a clear field) and
would let a dictionary of names be tested against the database alone. Every column of every
table is compared, found by walking the models: a new table is covered without touching this
test.

File contents are kept the same in every run: an evidence file's SHA-256 is a function of the
file on purpose (integrity; docs/security.md says so).
"""

import hashlib
from datetime import date

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, transaction

from kuzot.accounts import keys, vault
from kuzot.accounts.models import Organisation, User
from kuzot.accounts.vault import SealedField
from kuzot.cases import actions, corrections, imports
from kuzot.cases.evidence import store_evidence
from kuzot.cases.models import PlaceOfDetention, Term
from kuzot.intake import actions as intake
from kuzot.monitoring import actions as monitoring
from kuzot.ops import demo

# Same length, same number of words, same script: only the content differs.
SECRET, OTHER_SECRET = "Азимжан Аскаров", "Нурбек Жолдошев"
PDF = b"%PDF-1.4 the same evidence in every run\n%%EOF\n"


class Rollback(Exception):
    """Undo a run, so that the next one starts from the same empty database."""


def clear_columns() -> dict[tuple[str, str], list[str]]:
    """Every clear (not sealed) column of every table, as the sorted list of its values."""
    found = {}
    for model in apps.get_models(include_auto_created=True):
        for column in model._meta.concrete_fields:
            if isinstance(column, SealedField):
                continue
            values = model.objects.values_list(column.attname, flat=True)
            found[(model._meta.label, column.column)] = sorted(
                repr(bytes(v) if isinstance(v, memoryview) else v) for v in values
            )
    return found


def register_with(secret: str) -> bytes:
    """A small register: one row with a reference of its own, one without."""
    return (
        "Номер дела;Дата обращения;ФИО;Район;Вид пыток;Дата пыток;Подразделение;Фабула\n"
        f"{secret}/2023;01.02.2023;{secret};{secret};Избиение;2023-01-20;{secret};{secret}\n"
        f";02.02.2023;{secret} уулу;{secret};beating;2023-01-21;{secret};{secret}\n"
    ).encode()


def everything_with(secret: str, monkeypatch) -> dict:
    """Demo data, an import, a typed-in case, a complaint and a rotation, carrying ``secret``."""
    monkeypatch.setattr(
        demo, "PEOPLE", {**demo.PEOPLE, "kg": [(secret, "M", 1951), *demo.PEOPLE["kg"][1:]]}
    )
    monkeypatch.setattr(demo, "CASES_PER_ORGANISATION", 5)
    demo.create_demo()
    organisation = Organisation.objects.get(slug="kg")

    def member(role: str) -> User:
        return User.objects.get(username=f"kg-{role}")

    keyring = vault.unlock(member("coordinator"), demo.DEMO_PASSWORD)
    org_vault = keyring.vault(organisation.pk)
    lawyer = member("lawyer")

    table = imports.read_table(register_with(secret), "register.csv")
    report = imports.run_import(lawyer, org_vault, table, imports.guess_mapping(table.headers))
    assert report.counts["imported"] == 2, report.failed

    person = actions.register_person(
        lawyer,
        org_vault,
        full_name=secret,
        contact=secret,
        address=secret,
        birth_date=secret,
        id_number=secret,
        sex="M",
        birth_year=1990,
    )
    case = actions.register_case(
        lawyer, org_vault, intake_date=date(2024, 3, 1), victim=person, summary=secret
    )
    beating = Term.objects.get(vocabulary="act_type", code="beating", organisation=None)
    allegation = actions.add_allegation(
        lawyer,
        org_vault,
        case,
        date=date(2024, 2, 20),
        act_types=[beating],
        victim=person,
        district=secret,
        unit=secret,
        description=secret,
        perpetrators=secret,
    )
    actions.record_legal_event(
        lawyer,
        org_vault,
        case,
        kind="conviction_lesser",
        date=date(2024, 6, 1),
        article=secret,
        sentence=secret,
        notes=secret,
    )
    actions.record_medical_evaluation(
        member("doctor"),
        org_vault,
        case,
        date=date(2024, 3, 5),
        overall="consistent",
        physical_findings=secret,
        psychological_findings=secret,
        conclusion=secret,
        findings={allegation.pk: "consistent"},
    )
    store_evidence(lawyer, org_vault, case, filename=secret, data=PDF, description=secret)
    # Corrections keep earlier values: sealed ones must stay sealed there too.
    corrections.update_person(lawyer, org_vault, person, full_name=f"{secret} уулу", contact="")
    corrections.update_allegation(
        lawyer, org_vault, allegation, act_types=[beating], unit=f"{secret} ИВС", description=""
    )
    wrong = actions.record_legal_event(
        lawyer, org_vault, case, kind="appeal", date=date(2024, 7, 1), notes=secret
    )
    actions.delete_legal_event(lawyer, wrong)
    actions.record_consent(
        lawyer, case, scope="sharing", given=True, when=date(2024, 3, 1), manner="written"
    )
    actions.share_case(
        lawyer, org_vault, case, Organisation.objects.get(slug="kz"), {"name": secret}
    )

    receipt = intake.submit(
        organisation,
        {"victim_name": secret, "what_happened": secret, "contact": secret},
        [intake.Upload(secret, "application/pdf", PDF)],
    )
    submission, _key = intake.open_as_submitter(receipt)
    coordinator = member("coordinator")
    key = intake.open_as_recipient(coordinator, keyring, submission)
    intake.accept(coordinator, keyring, submission, key)

    monitor = member("monitor")
    place = PlaceOfDetention.objects.filter(organisation=None).first() or (
        PlaceOfDetention.objects.create(
            country="KG",
            kind=Term.objects.get(vocabulary="place_type", code="sizo", organisation=None),
            name_en="SIZO-1",
            name_ru="СИЗО-1",
        )
    )
    visit = monitoring.plan_visit(
        monitor, org_vault, place=place, planned_for=date(2024, 5, 1), objectives=secret
    )
    monitoring.record_visit(
        monitor, org_vault, visit, started_on=date(2024, 5, 2), access="refused",
        access_notes=secret, registers_checked=secret,
    )
    interview = monitoring.add_interview(
        monitor, org_vault, visit, interviewee="detainee", private=True,
        consent_to_record=True, consent_to_transmit=True, name=secret, notes=secret,
    )
    finding = monitoring.add_finding(
        monitor, org_vault, visit, area="treatment", source="detainee", severity="high",
        description=secret, root_cause=secret, interview=interview, act_types=[beating],
    )
    monitoring.open_case(monitor, org_vault, finding)

    keys.rotate(coordinator, organisation, org_vault)
    return clear_columns()


def same_ids() -> None:
    """Ids start where they did in the run before (PostgreSQL rolls no sequence back), so that
    the demo's invented cases, seeded by their organisation's id, are the same in every run."""
    models = apps.get_models(include_auto_created=True)
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)


def a_run(secret: str, monkeypatch, settings, tmp_path) -> dict:
    settings.DEMO_MARKER = tmp_path / "DEMO"
    same_ids()
    try:
        with transaction.atomic():
            found = everything_with(secret, monkeypatch)
            # The comparison's own control: an unkeyed digest of the secret must be caught.
            found[("control", "sha256 of the secret")] = [
                hashlib.sha256(secret.encode()).hexdigest()
            ]
            raise Rollback
    except Rollback:
        pass
    monkeypatch.undo()
    return found


def test_no_clear_column_is_a_function_of_a_sealed_value(db, monkeypatch, settings, tmp_path):
    a = a_run(SECRET, monkeypatch, settings, tmp_path)
    b = a_run(OTHER_SECRET, monkeypatch, settings, tmp_path)
    c = a_run(SECRET, monkeypatch, settings, tmp_path)
    assert a.keys() == b.keys() == c.keys()
    betraying = sorted(column for column in a if a[column] == c[column] and a[column] != b[column])
    assert betraying == [("control", "sha256 of the secret")], betraying
