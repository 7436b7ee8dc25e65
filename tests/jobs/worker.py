"""Running background jobs in tests: django-tasks' real database worker loop, in this process
(``run_queued``), or the real ``kuzot worker`` command in a process of its own (``env``)."""

import os
from pathlib import Path
from unittest import mock

from django.conf import settings
from django.db import connection
from django.urls import resolve
from django_tasks_db.management.commands import db_worker
from django_tasks_db.management.commands.db_worker import Worker

from kuzot.jobs import keys
from kuzot.jobs.models import Job

WORKER_ID = "test-worker"


def start_worker() -> None:
    """What a starting worker does first: make its key pair, publish the public half."""
    keys.register_worker(WORKER_ID)


def run_queued() -> None:
    """The database worker's own loop, until no job is left (``db_worker --batch``). It
    closes stale connections between jobs; here the connection is the test's own, inside the
    test's transaction, as Django's test client also keeps it."""
    with mock.patch.object(db_worker, "close_old_connections", lambda: None):
        _run()


def _run() -> None:
    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=WORKER_ID,
        excluded_queue_names=[],
    ).run()


def database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    user = db["USER"] or "postgres"
    return f"postgres://{user}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def env() -> dict[str, str]:
    """The environment of a ``kuzot`` process working on this test's database."""
    return {
        **os.environ,
        "KUZOT_DATABASE_URL": database_url(),
        "KUZOT_DATA_DIR": str(settings.DATA_DIR),
    }


def finish(client, started) -> Job:
    """After a view started a job (``started`` redirects to its page): run it, and return it
    as its owner's next look at the page finds it."""
    assert started.status_code == 302, started.content[:300]
    match = resolve(started.url)
    assert match.url_name == "job", started.url
    run_queued()
    assert client.get(started.url).status_code == 200
    return Job.objects.get(pk=match.kwargs["pk"])
