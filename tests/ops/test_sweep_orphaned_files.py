"""A process that dies between writing an encrypted file and committing its record leaves a
file no record names; `kuzot sweep_files` deletes it once it is a day old, and never a file
that a record names or whose record may still commit."""

import io
import os
import time
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connections

from kuzot.cases.evidence import store_evidence
from kuzot.cases.models import EvidenceFile
from kuzot.intake.actions import Upload, submit
from kuzot.intake.models import Attachment
from kuzot.ops import sweep
from tests.cases.case_screens import a_case

PDF = b"%PDF-1.4 evidence\n%%EOF\n"
A_DAY_LATER = 2 * 24 * 3600


def dies_before_commit(work, crash_at: str) -> None:
    """Run ``work`` in a child process that dies (no clean-up, no commit) at ``crash_at``."""
    connections.close_all()  # the child opens its own connection
    pid = os.fork()
    if pid == 0:
        try:
            with mock.patch(crash_at, side_effect=lambda *a, **k: os._exit(3)):
                work()
        finally:
            os._exit(4)  # the work went through: the crash did not happen
    _, status = os.waitpid(pid, 0)
    assert os.WEXITSTATUS(status) == 3


def files(settings, store: str) -> set[str]:
    folder = Path(settings.MEDIA_ROOT) / store
    return {p.name for p in folder.iterdir()} if folder.exists() else set()


@pytest.mark.django_db(transaction=True)
def test_an_evidence_file_written_by_a_process_that_died_is_swept(world, settings):
    lawyer, vault = world.user("a-lawyer"), world.vault("a")
    case = a_case(world)
    kept = store_evidence(lawyer, vault, case, filename="kept.pdf", data=PDF)
    dies_before_commit(
        lambda: store_evidence(lawyer, vault, case, filename="lost.pdf", data=PDF),
        "kuzot.cases.evidence._custody",
    )
    assert EvidenceFile.objects.count() == 1
    assert len(files(settings, "evidence")) == 2  # the dead process's file stayed

    assert sweep.sweep() == []  # young: its record might still be committing
    assert len(sweep.sweep(now=time.time() + A_DAY_LATER)) == 1
    assert files(settings, "evidence") == {kept.stored_as}


@pytest.mark.django_db(transaction=True)
def test_a_complaint_attachment_written_by_a_process_that_died_is_swept(world, settings):
    organisation = world.orgs["a"]
    submit(organisation, {"what_happened": "kept"}, [Upload("a.pdf", "application/pdf", PDF)])
    dies_before_commit(
        lambda: submit(
            organisation, {"what_happened": "lost"}, [Upload("b.pdf", "application/pdf", PDF)]
        ),
        "kuzot.intake.actions.record",
    )
    assert Attachment.objects.count() == 1 and len(files(settings, "intake")) == 2

    out = io.StringIO()
    with mock.patch("time.time", return_value=time.time() + A_DAY_LATER):
        call_command("sweep_files", stdout=out)
    assert "1 orphaned files deleted" in out.getvalue()
    assert files(settings, "intake") == {Attachment.objects.get().stored_as}
