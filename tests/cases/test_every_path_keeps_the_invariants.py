"""Random sequences of writes through every public path that creates or changes cases, people
and acts (the screens, an import, accepting a complaint, the demo), with the writer's
invariants checked after each step: the acts' copies equal their victim's current values, the
stage and step dates are those derived from the legal path, the name keys match the names, and
every record created or deleted has its audit event.

A seeded driver, not a framework: ``KUZOT_RANDOM_SEED=n`` replays another sequence."""

import os
import random
from datetime import date, timedelta

from django.test import Client
from django.urls import reverse

from kuzot.audit.models import AuditEvent
from kuzot.cases import imports
from kuzot.cases.models import Case, LegalEvent, Person, PlaceOfDetention, Term
from kuzot.intake.abuse import guard
from kuzot.intake.models import Submission
from kuzot.ops.demo_cases import generate_cases
from kuzot.spreadsheets import csv_bytes
from tests.cases.register_state import broken_invariants
from tests.intake.conftest import complain

SEED = int(os.environ.get("KUZOT_RANDOM_SEED", "20261202"))
STEPS = 24
NAMES = ["Азимжан Аскаров", "Gulnara Sadykova", "Нурлан Осмонов", "Айгуль Жумабекова",
         "Bakyt Isakov", "Эрлан Токтогулов"]  # fmt: skip
KINDS = [k for k in LegalEvent.Kind.values if k != LegalEvent.Kind.DEADLINE]


class Driver:
    def __init__(self, world, signed_in):
        self.rng = random.Random(SEED)
        self.world = world
        self.coordinator = world.user("a-coordinator")
        self.vault = world.vault("a")
        self.client = signed_in("a-coordinator")
        self.terms = {
            v: list(
                Term.objects.filter(vocabulary=v, organisation=None).values_list("pk", flat=True)
            )
            for v in Term.Vocabulary.values
        }
        self.places = list(PlaceOfDetention.objects.values_list("pk", flat=True))

    def day(self) -> date:
        return date(2015, 1, 1) + timedelta(days=self.rng.randrange(3000))

    def maybe(self, vocabulary: str):
        return self.rng.choice(self.terms[vocabulary]) if self.rng.random() < 0.7 else ""

    def case(self) -> Case | None:
        cases = list(Case.objects.filter(organisation=self.world.orgs["a"]).order_by("pk"))
        return self.rng.choice(cases) if cases else None

    def post(self, url: str, data: dict) -> None:
        response = self.client.post(url, data)
        assert response.status_code == 302, response.content.decode()[:3000]

    # --- The paths ---------------------------------------------------------------------

    def register_on_screen(self) -> None:
        rng = self.rng
        groups = [g for g in Person.VULNERABLE_GROUPS if rng.random() < 0.2]
        self.post(
            reverse("new_case"),
            {
                "full_name": rng.choice(NAMES),
                "sex": rng.choice(["", "F", "M", "X"]),
                "birth_year": rng.choice(["", str(rng.randint(1940, 2010))]),
                "nationality": rng.choice(["", "KG", "UZ"]),
                "groups": groups,
                "intake_date": self.day().isoformat(),
                "source": self.maybe("source"),
                "status": rng.choice(Case.Status.values),
                "confidentiality": rng.choice(["normal", "high"]),
                "reprisal_risk": rng.choice(["", "low", "high"]),
                "summary": "Что-то случилось.",
                "consent_documentation": "yes",
                "consent_documentation_manner": "written",
            },
        )

    def act_on_screen(self) -> None:
        case = self.case()
        if case is None:
            return self.register_on_screen()
        victim = case.parties.filter(role="victim").first()
        self.post(
            reverse("new_allegation", args=[case.pk]),
            {
                "date": self.day().isoformat(),
                "date_precision": self.rng.choice(["day", "month", "year"]),
                "victim": str(victim.person_id) if victim and self.rng.random() < 0.9 else "",
                "act_types": self.rng.sample(self.terms["act_type"], self.rng.randint(1, 3)),
                "region": self.maybe("region"),
                "place_of_detention": self.rng.choice(["", *map(str, self.places)]),
                "agency": self.maybe("agency"),
                "context": self.maybe("context"),
                "district": "Сокулук",
            },
        )

    def event_on_screen(self) -> None:
        case = self.case()
        if case is None:
            return self.register_on_screen()
        self.post(
            reverse("new_event", args=[case.pk]),
            {"kind": self.rng.choice(KINDS), "date": self.day().isoformat()},
        )

    def delete_on_screen(self) -> None:
        events = list(LegalEvent.objects.filter(organisation=self.world.orgs["a"]).order_by("pk"))
        if not events:
            return self.event_on_screen()
        event = self.rng.choice(events)
        self.post(reverse("delete_event", args=[event.case_id, event.pk]), {})
        assert AuditEvent.objects.filter(
            action=AuditEvent.Action.DELETE, object_type="cases.legalevent", object_id=str(event.pk)
        ).exists()

    def import_rows(self) -> None:
        rng = self.rng
        header = ["reference", "intake_date", "full_name", "sex", "birth_year", "act_date",
                  "act_types", "region", "complaint_date", "criminal_case_date", "verdict",
                  "verdict_date"]  # fmt: skip
        rows = []
        for _case in range(rng.randint(1, 3)):
            reference = f"R-{rng.randrange(10**6)}"
            for _act in range(rng.randint(1, 2)):  # one row per act
                intake = self.day()
                rows.append(
                    [reference, intake.isoformat(), rng.choice(NAMES), rng.choice(["м", "ж", ""]),
                     rng.choice(["", "1980"]), rng.choice(["2014", "03.2014", "2014-05-02"]),
                     "beating; death_threats", rng.choice(["", "Chuy", "Ошская область"]),
                     "2015-01-01", rng.choice(["", "2015-02-01"]),
                     *rng.choice([("", ""), ("conviction", "2016-01-01"),
                                  ("acquittal", "2016-02-01")])]
                )  # fmt: skip
        table = imports.read_table(csv_bytes([header, *rows]), "register.csv")
        mapping = imports.guess_mapping(table.headers)
        report = imports.run_import(self.coordinator, self.vault, table, mapping)
        assert not report.failed, [row.reason for row in report.failed]

    def accept_complaint(self) -> None:
        complain(
            Client(),
            victim_name=self.rng.choice([*NAMES, ""]),  # a complaint may name nobody
            sex=self.rng.choice(["F", "M"]),
            birth_year=str(self.rng.randint(1950, 2005)),
        )
        submission = Submission.objects.filter(status__in=["new", "open"]).latest("pk")
        self.post(reverse("submission_accept", args=[submission.pk]), {})

    def demo(self) -> None:
        organisation = self.world.orgs["a"]
        count = self.rng.randint(1, 3)
        generate_cases(
            organisation, self.vault, self.coordinator, count, seed=self.rng.randrange(99)
        )


PATHS = [
    Driver.register_on_screen,
    Driver.act_on_screen,
    Driver.act_on_screen,
    Driver.event_on_screen,
    Driver.event_on_screen,
    Driver.delete_on_screen,
    Driver.import_rows,
    Driver.accept_complaint,
    Driver.demo,
]


def test_random_writes_through_every_path_keep_the_invariants(world, signed_in, monkeypatch):
    monkeypatch.setattr(guard, "min_seconds", 0)  # the complaint form is sent at once
    driver = Driver(world, signed_in)
    done = []
    for step in range(STEPS):
        path = driver.rng.choice(PATHS) if step >= len(PATHS) else PATHS[step]
        path(driver)
        done.append(path.__name__)
        assert broken_invariants(driver.vault) == [], done
    assert set(done) == {p.__name__ for p in PATHS}
    assert Case.objects.filter(organisation=world.orgs["a"]).exists()


def test_a_complaint_that_names_nobody_is_accepted(world, signed_in, monkeypatch):
    monkeypatch.setattr(guard, "min_seconds", 0)
    driver = Driver(world, signed_in)
    complain(Client(), victim_name="")
    submission = Submission.objects.get()
    driver.post(reverse("submission_accept", args=[submission.pk]), {})
    assert Case.objects.get().parties.get().person.name_tokens.count() == 0
    assert broken_invariants(driver.vault) == []
