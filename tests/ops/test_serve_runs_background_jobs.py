"""`kuzot serve` starts one background-job worker beside itself: a job queued in the database
is run by it, and the worker ends with the server."""

import time
from pathlib import Path

import pytest

from kuzot.jobs.actions import start_job
from kuzot.jobs.models import Job, WorkerKey
from tests.serving import served


def _wait(condition, seconds: float = 180) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.5)
    return False


@pytest.mark.django_db(transaction=True)
def test_kuzot_serve_runs_jobs_in_a_worker_that_ends_with_it(world, tmp_path):
    with served(tmp_path) as server:
        job = start_job(
            world.user("a-analyst"), "report", {"year": 2022, "language": "en", "coalition": False}
        )
        assert _wait(lambda: Job.objects.get(pk=job.pk).finished)
        job.refresh_from_db()
        assert job.status == Job.Status.DONE, job.outcome
        assert bytes(job.output).startswith(b"%PDF")
        workers = [pid for pid in server.pids() if pid != server.process.pid]
        assert len(workers) == 1 and WorkerKey.objects.count() == 1
    assert _wait(lambda: not any(Path(f"/proc/{pid}/stat").exists() for pid in workers), 30)
    assert not WorkerKey.objects.exists()  # its public key went with it
