"""``kuzot worker``: run background jobs (django-tasks' database worker, ``db_worker``) with
this worker's key pair for jobs that need a data key (``kuzot.jobs.keys``). ``kuzot serve``
starts one unless told ``--no-worker``; run more on as many machines as wanted."""

import threading

from django.db import connection
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorker

from kuzot.jobs import keys


def _beat(worker_id: str, stop: threading.Event) -> None:
    while not stop.wait(keys.HEARTBEAT_SECONDS):
        keys.heartbeat(worker_id)
    connection.close()


class Command(DatabaseWorker):
    help = "Run Kuzot's background jobs (imports, publications, reports, the hidden figure)."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        # One per process, never chosen at import (two workers would share it).
        parser.set_defaults(worker_id=None)

    def handle(self, *args, worker_id: str | None, **options):
        worker_id = worker_id or get_random_string(32)
        # The key pair lives in this process: never hand the work to a reloader's child.
        options["reload"] = False
        keys.register_worker(worker_id)
        stop = threading.Event()
        beat = threading.Thread(target=_beat, args=(worker_id, stop), daemon=True)
        beat.start()
        try:
            super().handle(*args, worker_id=worker_id, **options)
        finally:
            stop.set()
            keys.retire_worker(worker_id)
