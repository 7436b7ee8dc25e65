"""Hand-built registers: a small one whose right answers are written out in the tests,
ninety acts with large and small cells for publishing, and two organisations' years of small
cells for attacking publications."""

import random
from datetime import date, timedelta

from kuzot.cases.actions import add_allegation, record_legal_event, register_case, register_person
from kuzot.cases.models import Case, LegalEvent, PlaceOfDetention, Term

Kind = LegalEvent.Kind


def term(vocabulary: str, code: str) -> Term:
    return Term.objects.get(vocabulary=vocabulary, code=code, organisation=None)


def build(world) -> dict[str, Case]:
    lawyer, vault = world.user("a-lawyer"), world.vault("a")
    ivs = PlaceOfDetention.objects.create(
        country="KG",
        region=term("region", "kg-bishkek"),
        kind=term("place_type", "temporary_detention"),
        name_en="IVS Bishkek",
        name_ru="ИВС",
    )

    def case(
        name,
        sex,
        born,
        intake,
        act_date,
        agency,
        acts,
        region,
        events,
        *,
        minor=False,
        status=Case.Status.OPEN,
        place=None,
        who=lawyer,
        key=vault,
    ):
        victim = register_person(who, key, full_name=name, sex=sex, birth_year=born, minor=minor)
        made = register_case(who, key, intake_date=intake, victim=victim, status=status)
        add_allegation(
            who,
            key,
            made,
            date=act_date,
            victim=victim,
            act_types=[term("act_type", a) for a in acts],
            agency=term("agency", agency),
            region=term("region", region),
            place_of_detention=place,
        )
        for kind, when in events:
            record_legal_event(who, key, made, kind=kind, date=when)
        made.refresh_from_db()
        return made

    return {
        "c1": case(
            "Один",
            "M",
            1990,
            date(2020, 3, 20),
            date(2020, 3, 15),
            "police",
            ["beating", "forced_confession"],
            "kg-bishkek",
            [
                (Kind.COMPLAINT_LODGED, date(2020, 4, 1)),
                (Kind.COMPLAINT_REFUSED, date(2020, 4, 20)),
            ],
            place=ivs,
        ),
        "c2": case(
            "Два",
            "F",
            2005,
            date(2021, 5, 20),
            date(2021, 5, 10),
            "police",
            ["beating"],
            "kg-osh",
            [
                (Kind.COMPLAINT_LODGED, date(2021, 6, 1)),
                (Kind.PRELIMINARY_CHECK, date(2021, 6, 11)),
                (Kind.CRIMINAL_CASE_OPENED, date(2021, 7, 1)),
                (Kind.INDICTMENT, date(2021, 10, 1)),
                (Kind.CONVICTION_TORTURE, date(2022, 1, 1)),
                (Kind.COMPENSATION_AWARDED, date(2022, 6, 1)),
                (Kind.COMPENSATION_PAID, date(2022, 12, 1)),
            ],
            minor=True,
            status=Case.Status.CLOSED_REDRESS,
        ),
        "c3": case(
            "Три",
            "M",
            1960,
            date(2021, 8, 25),
            date(2021, 8, 20),
            "national_security",
            ["suffocation"],
            "kg-bishkek",
            [
                (Kind.COMPLAINT_LODGED, date(2021, 9, 1)),
                (Kind.PRELIMINARY_CHECK, date(2021, 9, 21)),
                (Kind.CRIMINAL_CASE_REFUSED, date(2021, 10, 1)),
            ],
        ),
        "c4": case(
            "Четыре",
            "M",
            None,
            date(2022, 2, 10),
            date(2022, 2, 1),
            "police",
            ["beating"],
            "kg-chuy",
            [],
        ),
        "b1": case(
            "Бир",
            "M",
            1985,
            date(2022, 3, 1),
            date(2022, 2, 20),
            "police",
            ["beating"],
            "kz-astana",
            [(Kind.COMPLAINT_LODGED, date(2022, 3, 5))],
            who=world.user("b-lawyer"),
            key=world.vault("b"),
        ),
    }


def ninety(world) -> None:
    """90 acts in Organisation A: large cells, and some of 1 to 4 people."""
    lawyer, vault = world.user("a-lawyer"), world.vault("a")
    rng = random.Random(7)
    regions = ["kg-bishkek"] * 6 + ["kg-osh"] * 3 + ["kg-naryn"]
    agencies = ["police"] * 8 + ["national_security", "penitentiary"]
    for n in range(90):
        victim = register_person(
            lawyer,
            vault,
            full_name=f"Person {n}",
            sex=rng.choice("MMMMF"),
            birth_year=rng.randint(1960, 2006),
        )
        year = 2021 + n % 3
        case = register_case(lawyer, vault, intake_date=date(year, 6, 1), victim=victim)
        add_allegation(
            lawyer,
            vault,
            case,
            date=date(year, 5, rng.randint(1, 28)),
            victim=victim,
            act_types=[term("act_type", rng.choice(["beating", "suffocation"]))],
            agency=term("agency", rng.choice(agencies)),
            region=term("region", rng.choice(regions)),
            context=term("context", rng.choice(["arrest", "interrogation"])),
        )


def register(world, seed: int = 1, years=(2022, 2023, 2024), per_year: int = 14) -> None:
    """Both organisations (A in Kyrgyzstan, B in Kazakhstan): ``per_year`` cases a year, one act
    each in the year the case was taken in, skewed so that many cells hold 1 to 4 people, and
    legal paths going from a complaint to a conviction and compensation."""
    rng = random.Random(seed)
    regions = {
        "a": ["kg-bishkek"] * 5 + ["kg-osh"] * 2 + ["kg-naryn"],
        "b": ["kz-astana"] * 3 + ["kz-almaty-city"],
    }
    for org in ("a", "b"):
        for year in years:
            for _n in range(per_year):
                add_case(world, org, rng, year, rng.choice(regions[org]))


def add_case(world, org: str, rng: random.Random, year: int, region: str) -> Case:
    """One case with one act of ``year``, in ``region``, with a random legal path."""
    lawyer, vault = world.user(f"{org}-lawyer"), world.vault(org)
    victim = register_person(
        lawyer,
        vault,
        full_name=f"Person {rng.random()}",
        sex=rng.choice("MMMMF"),
        birth_year=rng.randint(1960, 2004),
    )
    when = date(year, rng.randint(1, 12), rng.randint(1, 28))
    case = register_case(lawyer, vault, intake_date=when, victim=victim)
    add_allegation(
        lawyer,
        vault,
        case,
        date=when,
        victim=victim,
        act_types=[term("act_type", rng.choice(["beating"] * 4 + ["suffocation"]))],
        agency=term("agency", rng.choice(["police"] * 6 + ["national_security", "penitentiary"])),
        region=term("region", region),
        context=term("context", rng.choice(["arrest"] * 3 + ["interrogation", "pre_trial"])),
    )
    path = [
        (Kind.COMPLAINT_LODGED, 5),
        (Kind.PRELIMINARY_CHECK, 20),
        (Kind.CRIMINAL_CASE_OPENED, 40),
        (Kind.INDICTMENT, 90),
        (Kind.CONVICTION_TORTURE, 150),
        (Kind.COMPENSATION_AWARDED, 250),
    ]
    depth = rng.choice([0, 1, 1, 1, 2, 2, 3, 4, 5, 6])
    for kind, days in path[:depth]:
        record_legal_event(lawyer, vault, case, kind=kind, date=when + timedelta(days=days))
    return case
