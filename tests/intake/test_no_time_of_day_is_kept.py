"""A complaint is known by its date only: neither the files written for it nor the audit log's
order tell the time of day it arrived (the backup's entries: tests/ops/test_backup_restore.py)."""

import os
from datetime import UTC, datetime
from pathlib import Path

from django.apps import apps
from django.utils import timezone

from kuzot.audit.models import AuditHead
from kuzot.cases.actions import register_case, register_person
from kuzot.cases.evidence import store_evidence
from kuzot.intake import actions
from tests.intake.conftest import photo


def midnight_today() -> float:
    today = timezone.now().astimezone(UTC).date()
    return datetime(today.year, today.month, today.day, tzinfo=UTC).timestamp()


def test_attachment_and_evidence_files_carry_the_day_and_no_time(world, settings):
    actions.submit(
        world.orgs["a"],
        {"what_happened": "at night"},
        [actions.Upload("photo.jpg", "image/jpeg", photo())],
    )
    lawyer = world.user("a-lawyer")
    person = register_person(lawyer, world.vault("a"), full_name="Тест Тестов")
    case = register_case(lawyer, world.vault("a"), intake_date=timezone.localdate(), victim=person)
    store_evidence(lawyer, world.vault("a"), case, filename="photo.jpg", data=photo())

    media = Path(settings.MEDIA_ROOT)
    written = [media, *media.rglob("*")]
    assert {p.parent.name for p in written if p.is_file()} == {"intake", "evidence"}
    for path in written:
        times = os.stat(path)
        assert times.st_mtime == midnight_today(), f"{path} tells the time it was written"
        if path.is_file():
            assert times.st_atime == midnight_today()


def audit_rows_since(marks: dict) -> dict[str, list[tuple]]:
    """What someone reading the audit tables sees of the rows written since ``marks``: every
    column but the ids, hashes and times, in the order of the ids, table by table."""
    hidden = {"id", "hash", "previous_hash", "at", "object_id"}
    rows = {}
    for model in apps.get_app_config("audit").get_models():
        if model is AuditHead:
            continue
        columns = [f.attname for f in model._meta.concrete_fields if f.name not in hidden]
        rows[model._meta.label] = list(
            model.objects.filter(pk__gt=marks.get(model, 0)).order_by("pk").values_list(*columns)
        )
    return rows


def marks() -> dict:
    return {
        model: (model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0)
        for model in apps.get_app_config("audit").get_models()
    }


def test_the_audit_log_does_not_tell_whether_a_complaint_came_before_a_staff_action(world):
    """The lawyer registers someone in the morning and someone else in the evening; a complaint
    arrives in between, or after both. Both days must look the same in the audit log."""
    lawyer, vault = world.user("a-lawyer"), world.vault("a")

    def staff_action(name: str) -> None:
        register_person(lawyer, vault, full_name=name)

    def complaint() -> None:
        actions.submit(world.orgs["a"], {"what_happened": "x"}, [])

    seen = []
    for order in ([staff_action, complaint, staff_action], [staff_action, staff_action, complaint]):
        start, names = marks(), iter(["Асан Усенов", "Бекзат Алиев"])
        for step in order:
            step(next(names)) if step is staff_action else step()
        seen.append(audit_rows_since(start))
    assert seen[0] == seen[1], "the complaint's place among the staff's events tells the time"
