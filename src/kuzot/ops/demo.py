"""The demo coalition: three organisations, a user of every role, a few people each."""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import transaction

from kuzot.accounts import actions, vault
from kuzot.accounts.models import Coalition, Organisation, Role, User
from kuzot.analysis.synthetic import generate_people
from kuzot.cases.actions import add_allegation, refresh_statistics, register_case, register_person
from kuzot.cases.models import Case, Consent, Term
from kuzot.ops.demo_cases import Vocabulary, generate_cases, places_of
from kuzot.ops.demo_visits import add_visits
from kuzot.stats.hidden import contribute

DEMO_PASSWORD = "demo-kuzot-2026"  # noqa: S105 - printed on screen; demo data is invented
ORGANISATIONS = [
    ("kg", "Coalition against Torture in Kyrgyzstan", Organisation.Country.KYRGYZSTAN),
    ("kz", "Kazakhstan Coalition against Torture", Organisation.Country.KAZAKHSTAN),
    ("tj", "Coalition against Torture and Impunity in Tajikistan", Organisation.Country.TAJIKISTAN),
]
ROLES = [Role.COORDINATOR, Role.LAWYER, Role.DOCTOR, Role.MONITOR, Role.ANALYST]
PEOPLE = {
    "kg": [
        ("Азимжан Аскаров", "M", 1951),
        ("Бакыт уулу Азамат", "M", 1990),
        ("Гульнара Токтогулова", "F", 1985),
    ],
    "kz": [
        ("Нурсултан Жаксыбеков", "M", 1979),
        ("Қайрат Әлиев", "M", 1968),
        ("Айгерим Сейткали", "F", 1994),
    ],
    "tj": [
        ("Ҷамшед Раҳимов", "M", 1983),
        ("Дилноза Ҳакимова", "F", 1991),
        ("Мухаммадҷон Шарипов", "M", 1975),
    ],
}


# What each role does, as `kuzot demo` prints it beside the logins and the README says it.
ROLE_WORK = {
    Role.COORDINATOR: (
        "runs the organisation: every case (strict ones too), the team, complaints, statistics"
    ),
    Role.LAWYER: (
        "documents cases and follows them through the legal path; a strict case only when it "
        "is theirs"
    ),
    Role.DOCTOR: "records medical evaluations, which only doctors and the case's lawyer read",
    Role.MONITOR: "records what monitors saw in places of detention",
    Role.ANALYST: "statistics and publications only; never sees a name",
    Role.ADMIN: "creates organisations; reads no case",
}
FIRST_LOGIN = "kg-coordinator"  # sees every screen of an organisation: the one to try first


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    organisation: str
    work: str


def demo_logins() -> list[DemoLogin]:
    """The demo's logins that exist in this database, the one to try first at the top."""
    found = {
        user.username: user
        for user in User.objects.filter(is_active=True).select_related("organisation")
    }
    names = [FIRST_LOGIN, "admin"]
    names += [f"{slug}-{role}" for slug, _name, _country in ORGANISATIONS for role in ROLES]
    logins = []
    for name in dict.fromkeys(names):
        if (user := found.get(name)) is not None:
            organisation = user.organisation.name if user.organisation else "—"
            role = Role(user.role)
            logins.append(DemoLogin(name, role.label, organisation, ROLE_WORK[role]))
    return logins


CASES_PER_ORGANISATION = 300


@transaction.atomic
def create_demo(extra_cases: int = 0) -> list[DemoLogin]:
    """Create the demo coalition through the same actions the app uses (idempotent), each
    organisation with a few hundred invented cases; ``extra_cases`` more, spread over the
    organisations, for benchmarks."""
    if not User.objects.filter(username="admin").exists():
        admin = User(username="admin", role=Role.ADMIN, totp_exempt=True)
        admin.save()
        vault.set_password_keys(admin, DEMO_PASSWORD)
    admin = User.objects.get(username="admin")
    coalition, _ = Coalition.objects.get_or_create(name="Coalition against Torture (demo)")
    created = []
    for slug, name, country in ORGANISATIONS:
        if not Organisation.objects.filter(slug=slug).exists():
            _create_organisation(admin, coalition, slug, name, country)
            created.append(slug)
        organisation = Organisation.objects.get(slug=slug)
        if extra_cases:
            _add_cases(organisation, extra_cases // len(ORGANISATIONS))
    if created == [slug for slug, _name, _country in ORGANISATIONS]:
        _hidden_figure_lists()
    settings.DEMO_MARKER.parent.mkdir(parents=True, exist_ok=True)
    settings.DEMO_MARKER.touch()
    refresh_statistics()  # once, after every organisation's invented cases
    return demo_logins()


def _create_organisation(admin: User, coalition: Coalition, slug: str, name: str, country: str):
    created = actions.create_organisation(
        admin, coalition=coalition, name=name, slug=slug, country=country
    )
    coordinator = actions.accept_invitation(
        created.invitation_token, username=f"{slug}-coordinator", password=DEMO_PASSWORD
    ).user
    keyring = vault.unlock(coordinator, DEMO_PASSWORD)
    for role in ROLES[1:]:
        _, token = actions.invite(coordinator, keyring, role=role)
        actions.accept_invitation(token, username=f"{slug}-{role}", password=DEMO_PASSWORD)
    User.objects.filter(organisation=created.organisation).update(totp_exempt=True)
    org_vault = keyring.vault(created.organisation.pk)
    for full_name, sex, year in PEOPLE[slug]:
        register_person(
            coordinator,
            org_vault,
            full_name=full_name,
            sex=sex,
            birth_year=year,
            nationality=country,
        )
    generate_cases(created.organisation, org_vault, coordinator, CASES_PER_ORGANISATION)
    add_visits(created.organisation, org_vault, places_of(country, Vocabulary.load()))


def _add_cases(organisation: Organisation, count: int) -> None:
    coordinator = User.objects.get(username=f"{organisation.slug}-coordinator")
    org_vault = vault.unlock(coordinator, DEMO_PASSWORD).vault(organisation.pk)
    seed = Case.objects.filter(organisation=organisation).count()
    generate_cases(organisation, org_vault, coordinator, count, seed=seed)


# For the hidden figure: people detained in Chüy in 2024, documented independently by the three
# organisations (the Kazakh and Tajik members met some of them as migrants), with consent to
# matching; the Kazakh and Tajik coalitions sealed their records to the Kyrgyz one, whose
# coordinator runs the analysis on the hidden-figure page and gets an estimate.
HIDDEN_FIGURE_PEOPLE = 70
HIDDEN_FIGURE_LISTS = {"kg": slice(0, 40), "kz": slice(22, 58), "tj": slice(0, 12)}
HIDDEN_FIGURE_EXTRA_TJ = slice(34, 50)
HIDDEN_FIGURE_DAY = date(2024, 3, 4)


def _hidden_figure_lists() -> None:
    people = generate_people(HIDDEN_FIGURE_PEOPLE, seed=2024, namesakes=0)
    region = Term.objects.filter(vocabulary="region", country="KG").order_by("position").first()
    beating = Term.objects.get(vocabulary="act_type", code="beating", organisation=None)
    consent = {Consent.Scope.LINKAGE: (True, HIDDEN_FIGURE_DAY, Consent.Manner.WRITTEN)}
    for slug, chosen in HIDDEN_FIGURE_LISTS.items():
        coordinator = User.objects.get(username=f"{slug}-coordinator")
        keyring = vault.unlock(coordinator, DEMO_PASSWORD)
        org_vault = keyring.vault(coordinator.organisation_id)
        documented = people[chosen] + (people[HIDDEN_FIGURE_EXTRA_TJ] if slug == "tj" else [])
        for person in documented:
            victim = register_person(
                coordinator,
                org_vault,
                full_name=f"{person.given_name} {person.family_name}",
                sex=person.sex,
                birth_year=person.birth_year,
                nationality="KG",
            )
            case = register_case(
                coordinator,
                org_vault,
                intake_date=HIDDEN_FIGURE_DAY,
                victim=victim,
                consents=consent,
            )
            add_allegation(
                coordinator,
                org_vault,
                case,
                date=HIDDEN_FIGURE_DAY,
                victim=victim,
                region=region,
                act_types=[beating],
            )
        if slug != "kg":
            contribute(coordinator, keyring, Organisation.objects.get(slug="kg"))
