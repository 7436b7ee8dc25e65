"""The audit log screen says what happened in words, by whom, and to which case, with a link
to the case when the coordinator may open it (not for a case that is gone); it filters by
action, user and date range."""

import re
from datetime import date, timedelta

from django.urls import reverse

from kuzot.cases.actions import record_legal_event, register_case
from kuzot.cases.models import Case


def rows(page: str) -> list[str]:
    body = page.split("newest first</caption>")[1].split("</table>")[0]
    return [
        " ".join(re.sub(r"<[^>]+>", " ", row).split())
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)[1:]
    ]


def test_the_log_says_what_happened_to_which_case_and_who_did_it(world, signed_in):
    lawyer, vault = world.user("a-lawyer"), world.vault("a")
    case = register_case(lawyer, vault, intake_date=date(2024, 5, 2))
    step = record_legal_event(lawyer, vault, case, kind="complaint_lodged", date=date(2024, 5, 3))
    gone = register_case(lawyer, vault, intake_date=date(2024, 5, 4))
    gone_id = gone.pk
    Case.objects.filter(pk=gone_id).delete()

    page = signed_in("a-coordinator").get(reverse("audit_log")).content.decode()
    shown = rows(page)
    assert f"a-lawyer Created: case {case.pk} {case.reference}" in " | ".join(shown)
    assert f"a-lawyer Created: legal step {step.pk} {case.reference}" in " | ".join(shown)
    link = f'<a href="{reverse("case", args=[case.pk])}">{case.reference}</a>'
    assert page.count(link) == 2
    assert any(f"Created: case {gone_id} —" in row for row in shown), "no link to a deleted case"
    assert "cases.case" not in page


def test_the_log_filters_by_action_user_and_dates(world, signed_in):
    lawyer, vault = world.user("a-lawyer"), world.vault("a")
    register_case(lawyer, vault, intake_date=date(2024, 5, 2))
    client = signed_in("a-coordinator")

    created = rows(client.get(reverse("audit_log"), {"action": "create"}).content.decode())
    assert created and all("Created" in row for row in created)
    by_lawyer = rows(client.get(reverse("audit_log"), {"user": "a-lawyer"}).content.decode())
    assert by_lawyer and all(" a-lawyer " in f" {row} " for row in by_lawyer)
    by_coordinator = client.get(reverse("audit_log"), {"user": "a-coordinator"}).content.decode()
    assert not any("Created: case" in row for row in rows(by_coordinator))
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    old = client.get(reverse("audit_log"), {"date_to": yesterday}).content.decode()
    assert rows(old) == ["No event matches these filters."]
    today = date.today().isoformat()
    now = client.get(reverse("audit_log"), {"date_from": today, "date_to": today})
    assert any("Created: case" in row for row in rows(now.content.decode()))
    form = client.get(reverse("audit_log"), {"action": "create"}).content.decode()
    assert '<option value="create" selected>' in form
