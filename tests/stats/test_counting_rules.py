"""The four counting rules, on hand-built cases with the right answers written out: final
outcomes, victims in the CAT table, one definition of the compensation share, one meaning of
"in year Y"."""

from datetime import date

from django.apps import apps
from django.core.management import call_command
from django.urls import reverse

from kuzot.cases.actions import add_allegation, add_party, record_legal_event, register_case
from kuzot.cases.actions import register_person as person
from kuzot.cases.models import Case, CaseParty, LegalEvent
from kuzot.stats.actions import publish
from kuzot.stats.ledger import live_counts, victims
from kuzot.stats.queries import Scope, funnel
from tests.stats.fixture import term
from tests.stats.test_annual_report import text_of

Kind = LegalEvent.Kind


def case_with(world, year: int, events, *, sex="M", nationality="KG", act=True, acts=(0,)):
    lawyer, vault = world.user("a-lawyer"), world.vault("a")
    victim = person(lawyer, vault, full_name="Victim", sex=sex, nationality=nationality)
    made = register_case(lawyer, vault, intake_date=date(year, 2, 1), victim=victim)
    for shift in acts if act else ():
        add_allegation(
            lawyer,
            vault,
            made,
            date=date(year + shift, 1, 20),
            victim=victim,
            act_types=[term("act_type", "beating")],
            agency=term("agency", "police"),
        )
    for kind, when in events:
        record_legal_event(lawyer, vault, made, kind=kind, date=when)
    made.refresh_from_db()
    return made


COURT = [(Kind.COMPLAINT_LODGED, date(2021, 3, 1)), (Kind.INDICTMENT, date(2021, 6, 1))]


def steps(world, **scope) -> dict[str, int]:
    return {s.key: s.cases for s in funnel(Scope((world.orgs["a"].pk,), **scope))}


def test_a_conviction_overturned_on_appeal_and_acquitted_is_not_a_conviction(world):
    overturned = case_with(
        world,
        2021,
        [
            *COURT,
            (Kind.CONVICTION_TORTURE, date(2021, 9, 1)),
            (Kind.APPEAL, date(2021, 10, 1)),
            (Kind.ACQUITTAL, date(2022, 2, 1)),
        ],
    )
    requalified = case_with(
        world,
        2021,
        [
            *COURT,
            (Kind.CONVICTION_TORTURE, date(2021, 9, 1)),
            (Kind.CONVICTION_LESSER, date(2022, 3, 1)),
        ],
    )
    retried = case_with(
        world,
        2021,
        [
            *COURT,
            (Kind.CONVICTION_TORTURE, date(2021, 9, 1)),
            (Kind.ACQUITTAL, date(2022, 1, 10)),
            (Kind.CONVICTION_TORTURE, date(2022, 11, 1)),
        ],
    )
    upheld = case_with(world, 2021, [*COURT, (Kind.CONVICTION_TORTURE, date(2021, 9, 1))])
    assert overturned.stage == "acquittal" and overturned.conviction_on is None
    assert overturned.torture_conviction_on is None
    assert requalified.conviction_on == date(2021, 9, 1)  # convicted all along
    assert requalified.torture_conviction_on is None  # but not under the torture article
    assert retried.conviction_on == retried.torture_conviction_on == date(2022, 11, 1)
    assert upheld.conviction_on == upheld.torture_conviction_on == date(2021, 9, 1)
    counted = steps(world)
    assert (counted["court"], counted["conviction"], counted["torture_conviction"]) == (4, 3, 2)


def test_registers_recorded_before_count_final_outcomes_after_the_migration(world):
    overturned = case_with(
        world,
        2021,
        [*COURT, (Kind.CONVICTION_TORTURE, date(2021, 9, 1)), (Kind.ACQUITTAL, date(2022, 2, 1))],
    )
    # As the earlier derivation stored it: the first conviction, whatever came after.
    Case.objects.filter(pk=overturned.pk).update(
        conviction_on=date(2021, 9, 1), torture_conviction_on=date(2021, 9, 1)
    )
    migration = __import__("kuzot.stats.migrations.0004_final_verdicts", fromlist=["rederive"])
    migration.rederive(apps, None)
    overturned.refresh_from_db()
    assert overturned.conviction_on is None and overturned.torture_conviction_on is None


def test_the_cat_table_counts_victims_not_every_party(world, tmp_path):
    lawyer, vault = world.user("a-lawyer"), world.vault("a")
    # Two victims (a woman and a man), their mother, a witness and a lawyer: 2 victims.
    two = case_with(world, 2024, [(Kind.COMPLAINT_LODGED, date(2024, 3, 1))], sex="F")
    second = person(lawyer, vault, full_name="Brother", sex="M", nationality="RU")
    add_party(lawyer, two, second, CaseParty.Role.VICTIM)
    for role, sex in (("relative", "F"), ("witness", "M"), ("lawyer", "F")):
        add_party(lawyer, two, person(lawyer, vault, full_name=role, sex=sex), role)
    # One victim and a relative; and one victim who did not complain.
    one = case_with(world, 2024, [(Kind.COMPLAINT_LODGED, date(2024, 4, 1))])
    add_party(lawyer, one, person(lawyer, vault, full_name="Father", sex="M"), "relative")
    case_with(world, 2024, [])
    counted = live_counts([(str(world.orgs["a"].pk), "2024")])
    complaints = counted[str(world.orgs["a"].pk), "2024"][victims("complaints")]
    by_sex = {}
    for (sex, _nationality, _place), n in complaints.items():
        by_sex[sex] = by_sex.get(sex, 0) + n
    assert by_sex == {"F": 1, "M": 2}  # three victims in the two cases with complaints
    by_nationality = {}
    for (_sex, nationality, _place), n in complaints.items():
        by_nationality[nationality] = by_nationality.get(nationality, 0) + n
    assert by_nationality == {"KG": 2, "other": 1}
    call_command("report", year=2024, organisation="a", out=tmp_path / "r.pdf")
    text = text_of((tmp_path / "r.pdf").read_bytes())
    assert "Victims by sex" in text and "Every row counts victims" in text


def test_the_compensation_share_has_one_definition_on_every_page(world, client):
    # Two convictions, one under the torture article; one compensation: 1 of 2 convictions.
    case_with(
        world,
        2021,
        [
            *COURT,
            (Kind.CONVICTION_TORTURE, date(2021, 9, 1)),
            (Kind.COMPENSATION_AWARDED, date(2022, 1, 1)),
        ],
    )
    case_with(world, 2021, [*COURT, (Kind.CONVICTION_LESSER, date(2021, 9, 1))])
    internal = {s.key: s.share_of_previous for s in funnel(Scope((world.orgs["a"].pk,)))}
    assert internal["compensation_awarded"] == 0.5
    publication = publish(
        world.user("a-coordinator"),
        title="Shares",
        coalition_wide=False,
        year_from=2021,
        year_to=2021,
        tables=[],
        threshold=1,  # every number shown, to compare the shares
    )
    public = {s["key"]: s["share_of_previous"] for s in publication.content["funnel"]}
    assert public["compensation_awarded"] == 0.5
    page = client.get(reverse("public_publication", args=[publication.slug])).content.decode()
    assert "its share is of all convictions" in page and "<td>50%</td>" in page


def test_a_case_counts_in_the_year_it_was_taken_in_even_without_an_act(world):
    # Taken in 2022 with acts in 2021 and 2022; taken in 2022 with no act yet; taken in 2023.
    case_with(world, 2022, [], acts=(-1, 0))
    case_with(world, 2022, [], act=False)
    case_with(world, 2023, [])
    assert steps(world, year_from=2021, year_to=2021)["documented"] == 0
    assert steps(world, year_from=2022, year_to=2022)["documented"] == 2
    assert steps(world, year_from=2023, year_to=2023)["documented"] == 1
    assert steps(world)["documented"] == 3
    # The tables count acts by the year they happened: the first case's two acts, one a year.
    counted = live_counts([(str(world.orgs["a"].pk), y) for y in ("2021", "2022")])
    acts = {y: sum(counted[str(world.orgs["a"].pk), y]["acts"].values()) for y in ("2021", "2022")}
    assert acts == {"2021": 1, "2022": 1}
