"""Realistic invented cases for the demo and for benchmarks.

The mix follows what the coalitions report: most allegations concern the police, most
complaints are refused or stall in a preliminary check, few criminal cases reach a verdict,
convictions under the torture article are rare, compensation rarer still.
"""

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from kuzot.accounts.models import Organisation, Role, User
from kuzot.accounts.vault import Vault
from kuzot.analysis.synthetic import SyntheticPerson, generate_people
from kuzot.cases.actions import NewCase, register_cases
from kuzot.cases.models import Case, Consent, LegalEvent, PlaceOfDetention, Term

Kind = LegalEvent.Kind
BATCH = 1000

AGENCIES = {
    "police": 70,
    "national_security": 12,
    "penitentiary": 11,
    "military": 2,
    "prosecutor": 1,
    "unknown": 4,
}
ACTS = {
    "beating": 80,
    "threats_to_relatives": 25,
    "death_threats": 15,
    "suffocation": 15,
    "forced_confession": 40,
    "stress_positions": 10,
    "electric_shock": 5,
    "sexual_violence": 4,
    "sleep_deprivation": 8,
    "denial_of_medical_care": 12,
    "incommunicado": 10,
    "humiliation": 10,
}
PURPOSES = {
    "confession": 55,
    "information": 10,
    "punishment": 12,
    "extortion": 12,
    "intimidation": 8,
    "unknown": 3,
}
CONTEXTS = {
    "arrest": 35,
    "interrogation": 30,
    "pre_trial": 15,
    "prison": 12,
    "army": 3,
    "protest": 3,
    "psychiatric": 2,
}
SOURCES = {
    "victim": 45,
    "relative": 30,
    "lawyer": 10,
    "media": 5,
    "npm": 4,
    "ombudsman": 3,
    "organisation": 3,
}
CURRENCY = {"KG": "KGS", "KZ": "KZT", "TJ": "TJS"}
# Places of detention of the demo (invented names after the usual kinds of facility).
PLACES = {
    "KG": [
        ("temporary_detention", "kg-bishkek", "IVS of the Bishkek city police"),
        ("sizo", "kg-bishkek", "SIZO-1, Bishkek"),
        ("police_station", "kg-osh-city", "Osh city police, Kara-Suu district station"),
        ("security_service", "kg-bishkek", "SIZO of the national security committee"),
        ("colony", "kg-chuy", "Penal colony No. 47"),
        ("temporary_detention", "kg-jalal-abad", "IVS of Jalal-Abad"),
    ],
    "KZ": [
        ("temporary_detention", "kz-almaty-city", "IVS of the Almaty police department"),
        ("sizo", "kz-astana", "Pre-trial detention centre, Astana"),
        ("colony", "kz-karaganda", "Correctional colony, Karaganda region"),
        ("police_station", "kz-shymkent", "Shymkent city police, Al-Farabi district"),
        ("security_service", "kz-almaty-city", "National security committee, Almaty"),
    ],
    "TJ": [
        ("temporary_detention", "tj-dushanbe", "IVS of the Dushanbe internal affairs"),
        ("sizo", "tj-dushanbe", "SIZO No. 1, Dushanbe"),
        ("police_station", "tj-sughd", "Khujand city police"),
        ("colony", "tj-khatlon", "Correctional colony, Khatlon region"),
        ("security_service", "tj-dushanbe", "State committee for national security"),
    ],
}


def _pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), list(weights.values()))[0]


def legal_path(rng: random.Random, start: date) -> list[tuple[str, int, dict]]:
    """(kind, days after the complaint, extra fields): one realistic path through the system."""
    if rng.random() < 0.25:
        return []
    path, day = [(Kind.COMPLAINT_LODGED, 0, {"body": "prosecutor"})], 0

    def step(kind, gap: int, **extra):
        nonlocal day
        day += rng.randint(gap // 2, gap * 2)
        path.append((kind, day, extra))

    if rng.random() < 0.45:
        step(Kind.COMPLAINT_REFUSED, 20)
        if rng.random() < 0.3:
            step(Kind.APPEAL, 30, body="court")
        if rng.random() < 0.85:
            return path
    step(Kind.PRELIMINARY_CHECK, 10)
    if rng.random() < 0.6:
        step(Kind.CRIMINAL_CASE_REFUSED, 30)
        if rng.random() < 0.1:
            step(Kind.UN_COMMUNICATION, 200, body="un_hrc")
        return path
    step(Kind.CRIMINAL_CASE_OPENED, 30, article="art. 143")
    if rng.random() < 0.1:
        step(Kind.REPRISAL_PRESSURE, 20)
    if rng.random() < 0.4:
        step(rng.choice([Kind.INVESTIGATION_SUSPENDED, Kind.INVESTIGATION_CLOSED]), 90)
        return path
    step(Kind.INDICTMENT, 90)
    step(Kind.HEARING, 40, next_date=True)
    verdict = rng.choices(
        [Kind.CONVICTION_TORTURE, Kind.CONVICTION_LESSER, Kind.ACQUITTAL], [30, 40, 30]
    )[0]
    step(verdict, 60, article="art. 143" if verdict == Kind.CONVICTION_TORTURE else "art. 305")
    if verdict != Kind.ACQUITTAL and rng.random() < 0.25:
        step(Kind.COMPENSATION_AWARDED, 120, amount=rng.choice([50_000, 100_000, 250_000]))
        if rng.random() < 0.5:
            step(Kind.COMPENSATION_PAID, 180)
    return path


# A path that ended here more than a year ago is a closed file (the rest stay open): without
# it every demo case was open, and the funnel's "still open" equalled its "cases" at each step.
FINAL = {
    Kind.COMPLAINT_REFUSED,
    Kind.CRIMINAL_CASE_REFUSED,
    Kind.INVESTIGATION_CLOSED,
    Kind.ACQUITTAL,
    Kind.CONVICTION_TORTURE,
    Kind.CONVICTION_LESSER,
    Kind.UN_COMMUNICATION,
}


def status_of(rng: random.Random, path: list[dict], today: date) -> str:
    """Where a demo case's file stands after its path: closed with redress once compensation
    is paid, closed a year after a path's end, now and then withdrawn; otherwise open."""
    if rng.random() < 0.04:
        return Case.Status.WITHDRAWN
    if not path:
        return Case.Status.OPEN
    last = path[-1]
    if last["kind"] == Kind.COMPENSATION_PAID:
        return Case.Status.CLOSED_REDRESS
    if last["kind"] in FINAL and (today - last["date"]).days > 365:
        return Case.Status.CLOSED
    return Case.Status.OPEN


@dataclass
class Vocabulary:
    terms: dict[tuple[str, str], Term] = field(default_factory=dict)

    @classmethod
    def load(cls) -> "Vocabulary":
        return cls({(t.vocabulary, t.code): t for t in Term.objects.filter(organisation=None)})

    def __call__(self, vocabulary: str, code: str) -> Term:
        return self.terms[(vocabulary, code)]


def places_of(country: str, vocabulary: Vocabulary) -> list[PlaceOfDetention]:
    made = []
    for kind, region, name in PLACES.get(country, []):
        place, _ = PlaceOfDetention.objects.get_or_create(
            organisation=None,
            country=country,
            name_en=name,
            defaults={
                "name_ru": name,
                "kind": vocabulary("place_type", kind),
                "region": vocabulary("region", region),
            },
        )
        made.append(place)
    return made


def people_of(country: str, count: int, seed: int) -> list[SyntheticPerson]:
    """Invented people of one country (the generator mixes the region's countries)."""
    found: list[SyntheticPerson] = []
    while len(found) < count:
        batch = generate_people(max(3 * (count - len(found)), 30), seed=seed + len(found))
        found += [p for p in batch if p.country == country] or batch
    return found[:count]


def full_name(person: SyntheticPerson) -> str:
    return f"{person.given_name} {person.family_name}"


def generate_cases(
    organisation: Organisation,
    vault: Vault,
    actor: User,
    count: int,
    *,
    seed: int = 1,
    first_year: int = 2014,
    last_year: int = 2025,
) -> int:
    """``count`` invented cases with victims, acts, consent and legal paths, written by the
    bulk writer (``actions.register_cases``: the same invariants and audit as an import). The
    caller refreshes the planner statistics once it has written all it will
    (``actions.refresh_statistics``)."""
    rng = random.Random(f"{seed}-{organisation.pk}")
    vocabulary = Vocabulary.load()
    places = places_of(organisation.country, vocabulary)
    regions = list(Term.objects.filter(vocabulary="region", country=organisation.country))
    lawyers = list(User.objects.filter(organisation=organisation, role=Role.LAWYER)) or [actor]
    people = people_of(organisation.country, count, rng.randrange(1 << 30))
    written = Case.objects.filter(organisation=organisation).count()
    years = list(range(first_year, last_year + 1))
    for start in range(0, count, BATCH):
        batch = people[start : start + BATCH]
        register_cases(
            actor,
            vault,
            [
                _new_case(organisation, rng, vocabulary, places, regions, lawyers, years, *item)
                for item in enumerate(batch, start=written + start + 1)
            ],
        )
    return count


def _new_case(
    organisation, rng, vocabulary, places, regions, lawyers, years, number, synthetic
) -> NewCase:
    """One invented case as the bulk writer takes it (``actions.NewCase``)."""
    intake = date(rng.choice(years), 1, 1) + timedelta(days=rng.randrange(365))
    victim = {
        "full_name": full_name(synthetic),
        "sex": synthetic.sex,
        "birth_year": synthetic.birth_year,
        "nationality": organisation.country,
        "minor": rng.random() < 0.05,
        "migrant": rng.random() < 0.04,
        "defender": rng.random() < 0.05,
        "ethnic_minority": rng.random() < 0.1,
        "disability": rng.random() < 0.03,
    }
    case = {
        "intake_date": intake,
        "source": vocabulary("source", _pick(rng, SOURCES)),
        "assigned_lawyer": rng.choice(lawyers),
        "reprisal_risk": rng.choice(["", "low", "medium", "high"]),
        "confidentiality": Case.Confidentiality.STRICT
        if rng.random() < 0.03
        else Case.Confidentiality.NORMAL,
        "summary": "Invented demo case.",
    }
    consents = {
        scope: (rng.random() < share, intake, Consent.Manner.WRITTEN)
        for scope, share in (
            (Consent.Scope.DOCUMENTATION, 1),
            (Consent.Scope.STATISTICS, 0.95),
            (Consent.Scope.SHARING, 0.3),
            (Consent.Scope.PUBLICATION, 0.2),
            (Consent.Scope.UN_BODIES, 0.15),
            (Consent.Scope.LINKAGE, 0.6),
        )
    }
    allegations = []
    for _ in range(1 if rng.random() < 0.8 else 2):
        place = rng.choice(places) if places and rng.random() < 0.8 else None
        allegations.append(
            {
                "date": intake - timedelta(days=rng.randrange(1, 60)),
                "date_precision": rng.choices(["day", "month", "year"], [80, 15, 5])[0],
                "region": place.region if place else (rng.choice(regions) if regions else None),
                "place_of_detention": place,
                "agency": vocabulary("agency", _pick(rng, AGENCIES)),
                "purpose": vocabulary("purpose", _pick(rng, PURPOSES)),
                "context": vocabulary("context", _pick(rng, CONTEXTS)),
                "act_types": [
                    vocabulary("act_type", code)
                    for code in {_pick(rng, ACTS) for _ in range(rng.randint(1, 3))}
                ],
            }
        )
    complaint_day = intake + timedelta(days=rng.randrange(1, 20))
    events = []
    for kind, days, extra in legal_path(rng, complaint_day):
        when = complaint_day + timedelta(days=days)
        events.append(
            {
                "kind": kind,
                "date": when,
                "body": vocabulary("complaint_body", extra["body"]) if "body" in extra else None,
                "article": extra.get("article", ""),
                "amount": extra.get("amount"),
                "currency": CURRENCY[organisation.country] if "amount" in extra else "",
                "next_date": when + timedelta(days=30) if extra.get("next_date") else None,
            }
        )
    case["status"] = status_of(rng, events, date.today())
    return NewCase(
        case=case,
        reference=f"{organisation.country}-D{number:06d}",
        victim=victim,
        consents=consents,
        allegations=allegations,
        events=events,
    )
