"""``kuzot serve``: the web server, one process (waitress) or several (gunicorn, on Linux).

Whatever the server, a request's body and a response stay in memory, never in a temporary file:
they hold a complaint's text and files, or a decrypted evidence file (docs/deploy.md). waitress
spools a body over 512 KiB and a response over 1 MiB to disk by default; here its buffers are
set above ``MAX_REQUEST_BYTES`` (kuzot/uploads.py), and a longer request is refused before it is
read. gunicorn buffers neither: the app reads the body from the socket as it parses it, and a
response goes from memory to the socket.

With ``--workers N`` (N > 1) gunicorn forks N processes of ``--threads`` threads each from this
one, after the app is loaded: they share what must be shared through the database (complaint
limits, spent form tokens, login back-off, background jobs) and the throttles' in-memory
secret (``kuzot.clients``) through the fork.

Background jobs (``kuzot.jobs``) run in one ``kuzot worker`` process started beside the server
and stopped with it; ``--no-worker`` leaves that to a worker run on its own (docs/deploy.md).
"""

import ctypes
import signal
import subprocess
import sys
from contextlib import contextmanager

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from kuzot.uploads import MAX_REQUEST_BYTES

PR_SET_PDEATHSIG = 1  # prctl(2)

# waitress refuses a body of this many bytes or more, and spools one of this many to disk.
WAITRESS_BUFFERS = {
    "max_request_body_size": MAX_REQUEST_BYTES + 1,
    "inbuf_overflow": MAX_REQUEST_BYTES + 1,
    # A response is in memory already (the app built it); never copy it to a file. How much
    # waits for a slow client stays bounded by waitress's high watermark (16 MiB) per
    # connection plus the one response being written.
    "outbuf_overflow": sys.maxsize,
}


class Command(BaseCommand):
    help = (
        "Serve the app: one waitress process, or N gunicorn workers (--workers N). Behind a "
        "TLS reverse proxy in production."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8, help="per process")
        parser.add_argument(
            "--workers", type=int, default=1, help="processes; more than 1 needs gunicorn (Linux)"
        )
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="start no background-job worker (run `kuzot worker` yourself)",
        )

    def handle(
        self, *args, host: str, port: int, threads: int, workers: int, no_worker: bool, **options
    ):
        # Made at import, before any fork: every worker counts a client under the same digest.
        from kuzot import clients  # noqa: F401
        from kuzot.wsgi import application

        if workers < 1 or threads < 1:
            raise CommandError("--workers and --threads take a number from 1 up.")
        self.stdout.write(
            f"Kuzot at http://{host}:{port}/ ({workers} process(es) of {threads} threads, "
            f"{'no' if no_worker else 'one'} background-job worker, data in "
            f"{settings.DATA_DIR}); Ctrl+C stops."
        )
        with _job_worker(not no_worker):
            if workers == 1:
                from waitress import serve

                serve(
                    application,
                    host=host,
                    port=port,
                    threads=threads,
                    ident="kuzot",
                    **WAITRESS_BUFFERS,
                )
            else:
                _gunicorn(application, f"{host}:{port}", workers, threads)


def _end_with_parent() -> None:
    """In the worker, before it starts: on Linux, be sent SIGTERM when the server process ends,
    however it ends (a server killed outright leaves no worker behind)."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


@contextmanager
def _job_worker(start: bool):
    """A ``kuzot worker`` process for as long as the server runs (its own process: a job's
    work never takes a server thread, and its keys stay in its memory)."""
    if not start:
        yield
        return
    worker = subprocess.Popen(
        [sys.executable, "-m", "kuzot.cli", "worker", "--verbosity", "0"],
        preexec_fn=_end_with_parent,  # noqa: PLW1509 - no threads have started yet
    )
    try:
        yield
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()


def _gunicorn(application, bind: str, workers: int, threads: int) -> None:
    try:
        from gunicorn.app.base import BaseApplication
    except ImportError as missing:  # Windows, or installed without it
        raise CommandError("--workers needs gunicorn, which runs on Linux and macOS.") from missing
    from django.db import connections

    connections.close_all()  # no database connection may cross the fork
    config = {
        "bind": bind,
        "workers": workers,
        "worker_class": "gthread",
        "threads": threads,
        "preload_app": True,
        "proc_name": "kuzot",
        "accesslog": None,  # no client addresses in a log
        "errorlog": "-",
        "keepalive": 20,  # idle keep-alive connections wait in the poller, not in a thread
        "graceful_timeout": 10,
    }

    class Server(BaseApplication):
        def load_config(self):
            for key, value in config.items():
                self.cfg.set(key, value)

        def load(self):
            return application

    Server().run()
