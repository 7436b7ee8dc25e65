"""An import killed half-way leaves only whole rows, and running it again completes it."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from kuzot.audit.log import verify
from kuzot.audit.models import AuditEvent
from kuzot.cases import actions, imports
from kuzot.cases.models import Allegation, Case, CaseParty, Consent, NameToken, Person
from tests.cases import register_sample
from tests.conftest import PASSWORD

ROWS, BATCH = 1_000, 100


def assert_only_whole_rows(organisation) -> int:
    """Every case has its person, party, act and audit event, and nothing exists without its
    case."""
    cases = Case.objects.filter(organisation=organisation)
    count = cases.count()
    assert Person.objects.filter(organisation=organisation).count() == count
    assert CaseParty.objects.filter(case__organisation=organisation).count() == count
    assert Allegation.objects.filter(organisation=organisation).count() == count
    assert not Person.objects.filter(organisation=organisation, parties__isnull=True).exists()
    assert not NameToken.objects.filter(organisation=organisation, person__isnull=True).exists()
    assert not cases.filter(allegations__isnull=True).exists()
    assert not cases.filter(import_key="").exists()
    logged = AuditEvent.objects.filter(action="create", object_type="cases.case").count()
    assert logged == count
    assert Consent.objects.filter(case__organisation=organisation).count() > 0 or count == 0
    checked, problems = verify()
    assert not problems
    return count


def test_a_failure_inside_a_batch_rolls_back_that_batch_and_a_rerun_completes(world, monkeypatch):
    data, bad = register_sample.xlsx(ROWS)
    table = imports.read_table(data, "r.xlsx")
    mapping = imports.guess_mapping(table.headers)
    lawyer, vault = world.user("a-lawyer"), world.vault("a")
    real = actions.record_many
    calls = {"n": 0}

    def failing(actor, action, model, ids, **kwargs):
        # The third batch dies after its people, cases, acts and events are inserted,
        # while their audit events are written.
        if model is Case:
            calls["n"] += 1
            if calls["n"] == 3:
                raise RuntimeError("killed")
        return real(actor, action, model, ids, **kwargs)

    monkeypatch.setattr(actions, "record_many", failing)
    with pytest.raises(RuntimeError):
        imports.run_import(lawyer, vault, table, mapping, batch_size=BATCH)
    assert assert_only_whole_rows(world.orgs["a"]) == 2 * BATCH

    monkeypatch.setattr(actions, "record_many", real)
    report = imports.run_import(lawyer, vault, table, mapping, batch_size=BATCH)
    assert report.counts["already_imported"] == 2 * BATCH
    assert report.counts["imported"] == ROWS - len(bad) - 2 * BATCH
    assert assert_only_whole_rows(world.orgs["a"]) == ROWS - len(bad)


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    user = db["USER"] or "postgres"
    return f"postgres://{user}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_kuzot_import_killed_half_way_leaves_whole_rows_and_a_rerun_completes(world, tmp_path):
    data, bad = register_sample.xlsx(ROWS)
    spreadsheet = tmp_path / "register.xlsx"
    spreadsheet.write_bytes(data)
    password = tmp_path / "password"
    password.write_text(PASSWORD)
    command = [
        sys.executable, "-m", "kuzot.cli", "import", str(spreadsheet), "--organisation", "a",
        "--user", "a-lawyer", "--password-file", str(password), "--batch-size", str(BATCH),
    ]  # fmt: skip
    env = {
        **os.environ,
        "KUZOT_DATABASE_URL": _database_url(),
        "KUZOT_DATA_DIR": str(settings.DATA_DIR),
    }
    child = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True)
    written = 0
    for line in child.stdout:
        if line.startswith("written:"):
            written = int(line.split()[1])
            if written >= 3 * BATCH:
                break
    time.sleep(0.05)  # into the next batch
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert written >= 3 * BATCH, "the import finished or failed before it could be killed"

    count = assert_only_whole_rows(world.orgs["a"])
    assert count % BATCH == 0 and 3 * BATCH <= count < ROWS - len(bad)

    done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    assert f"already imported {count}" in done.stdout
    assert assert_only_whole_rows(world.orgs["a"]) == ROWS - len(bad)
