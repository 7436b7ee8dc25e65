"""An export of the register, imported into an empty organisation, gives the same register:
the same cases, people, acts (every one of them, dates as precise as they were) and legal
paths."""

from datetime import date
from decimal import Decimal

import pytest

from kuzot.accounts.vault import unlock
from kuzot.cases import actions, exports, imports
from kuzot.cases.models import Case, Consent, LegalEvent, PlaceOfDetention, Term
from tests.cases.register_state import broken_invariants, register
from tests.conftest import PASSWORD

K = LegalEvent.Kind


def term(vocabulary: str, code: str) -> Term:
    return Term.objects.get(vocabulary=vocabulary, code=code, organisation=None)


def consents(when: date, **given: bool) -> dict:
    return {scope: (answer, when, Consent.Manner.WRITTEN) for scope, answer in given.items()}


def fill_register(world) -> None:
    lawyer, vault = world.user("a-lawyer"), world.vault("a")
    place = PlaceOfDetention.objects.create(
        country="KG",
        region=term("region", "kg-chuy"),
        kind=term("place_type", "police_station"),
        name_en="Sokuluk district police station",
        name_ru="Сокулукский РОВД",
    )
    first = actions.register_person(
        lawyer,
        vault,
        full_name="Азимжан Аскаров",
        sex="M",
        birth_year=1951,
        nationality="KG",
        ethnic_minority=True,
        defender=True,
        birth_date="1951-05-17",
        id_number="AN 0234567",
        contact="+996 555 000 111",
        address="Bazar-Korgon, Lenin st. 1",
    )
    case = actions.register_case(
        lawyer,
        vault,
        victim=first,
        intake_date=date(2020, 6, 1),
        source=term("source", "lawyer"),
        status=Case.Status.MONITORING,
        confidentiality=Case.Confidentiality.HIGH,
        reprisal_risk=Case.Risk.MEDIUM,
        summary="Beaten at the district station; forced to sign.",
        consents=consents(date(2020, 6, 1), documentation=True, statistics=True, publication=False),
    )
    actions.add_allegation(
        lawyer,
        vault,
        case,
        victim=first,
        date=date(2020, 5, 30),
        act_types=[term("act_type", "beating"), term("act_type", "death_threats")],
        region=term("region", "kg-chuy"),
        district="Sokuluk",
        place_of_detention=place,
        agency=term("agency", "police"),
        unit="Criminal investigation unit",
        purpose=term("purpose", "confession"),
        context=term("context", "interrogation"),
        description="Hit with a bottle of water, a bag over the head.",
        perpetrators="Two officers, one called Bakyt",
    )
    actions.add_allegation(
        lawyer,
        vault,
        case,
        victim=first,
        date=date(2019, 1, 1),
        date_precision="year",
        act_types=[term("act_type", "beating")],
    )
    for kind, day, extra in (
        (K.COMPLAINT_LODGED, date(2020, 6, 3), {"body": term("complaint_body", "prosecutor")}),
        (K.CRIMINAL_CASE_OPENED, date(2020, 7, 1), {}),
        (K.INDICTMENT, date(2021, 2, 1), {}),
        (K.CONVICTION_TORTURE, date(2021, 9, 1), {}),
        (K.COMPENSATION_AWARDED, date(2022, 1, 10), {"amount": Decimal("150000.00"),
                                                     "currency": "KGS"}),
        (K.COMPENSATION_PAID, date(2022, 5, 1), {}),
    ):  # fmt: skip
        actions.record_legal_event(lawyer, vault, case, kind=kind, date=day, **extra)

    second = actions.register_person(lawyer, vault, full_name="Гулнара Садыкова", sex="F")
    case = actions.register_case(
        lawyer,
        vault,
        victim=second,
        intake_date=date(2021, 3, 2),
        consents=consents(date(2021, 3, 2), documentation=True, statistics=False),
    )
    actions.add_allegation(
        lawyer,
        vault,
        case,
        victim=second,
        date=date(2021, 2, 1),
        date_precision="month",
        act_types=[term("act_type", "beating")],
    )
    actions.record_legal_event(
        lawyer, vault, case, kind=K.COMPLAINT_REFUSED, date=date(2021, 3, 10)
    )

    third = actions.register_person(lawyer, vault, full_name="Нурлан Осмонов", birth_year=2006)
    actions.register_case(  # no act recorded yet
        lawyer,
        vault,
        victim=third,
        intake_date=date(2022, 11, 5),
        consents=consents(date(2022, 11, 5), documentation=True),
    )


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_an_export_imported_into_an_empty_organisation_is_the_same_register(world, file_format):
    fill_register(world)
    exporter = world.user("a-lawyer")
    data, name = exports.export(
        exporter, unlock(exporter, PASSWORD), file_format=file_format, identities=True
    )

    table = imports.read_table(data, name)
    assert len(table.rows) == 4  # one row per act; the case without acts has one row too
    mapping = imports.guess_mapping(table.headers)
    assert not imports.check_mapping(mapping)
    assert set(mapping) - {""} == set(table.headers) - {"stage"}  # every column read back
    report = imports.run_import(world.user("b-lawyer"), world.vault("b"), table, mapping)
    assert report.counts == {
        "rows": 4, "good": 4, "imported": 4, "already_imported": 0, "failed": 0,
    }  # fmt: skip

    assert Case.objects.filter(organisation=world.orgs["b"]).count() == 3
    assert register(world.vault("b")) == register(world.vault("a"))
    assert broken_invariants(world.vault("b")) == []
