"""Helpers of the case register's screen tests: a case with a victim, a second lawyer."""

from datetime import date

from kuzot.accounts import actions as accounts
from kuzot.accounts import vault
from kuzot.audit.models import AuditEvent
from kuzot.cases.actions import register_case, register_person
from kuzot.cases.models import Term
from tests.conftest import PASSWORD, enrol_two_factor


def term(vocabulary: str, code: str) -> Term:
    return Term.objects.get(vocabulary=vocabulary, code=code, organisation=None)


def a_case(world, org: str = "a", *, name: str = "Азамат Осмонов", by: str = "lawyer", **case):
    actor = world.user(f"{org}-{by}")
    org_vault = world.vault(org)
    person = register_person(actor, org_vault, full_name=name, sex="M", birth_year=1990)
    case.setdefault("intake_date", date(2024, 3, 1))
    return register_case(actor, org_vault, victim=person, **case)


def second_lawyer(world, username: str = "a-lawyer-2"):
    """Another lawyer of organisation A, invited by its coordinator like every member."""
    coordinator = world.user("a-coordinator")
    keyring = vault.unlock(coordinator, PASSWORD)
    _, token = accounts.invite(coordinator, keyring, role="lawyer")
    user = accounts.accept_invitation(token, username=username, password=PASSWORD).user
    enrol_two_factor(user)
    world.users[username] = user
    return user


def audit_rows(user, action: str):
    return list(AuditEvent.objects.filter(actor=user, action=action).order_by("id"))
