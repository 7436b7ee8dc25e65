"""``kuzot serve``: the web server, one process (waitress) or several (gunicorn).

Whatever the server, a request's body and a response stay in memory, never in a temporary file:
they hold a complaint's text and files, or a decrypted evidence file (docs/deploy.md). waitress
spools a body over 512 KiB and a response over 1 MiB to disk by default; here its buffers are
set above ``MAX_REQUEST_BYTES`` (kuzot/uploads.py), and a longer request is refused before it is
read. gunicorn buffers nothing: the app reads the body from the socket as it parses it.
"""

import sys

from django.conf import settings
from django.core.management.base import BaseCommand

from kuzot.uploads import MAX_REQUEST_BYTES

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
    help = "Serve Kuzot with waitress (behind a TLS reverse proxy in production)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)

    def handle(self, *args, host: str, port: int, threads: int, **options):
        from waitress import serve

        from kuzot.wsgi import application

        self.stdout.write(
            f"Kuzot at http://{host}:{port}/ (data in {settings.DATA_DIR}); Ctrl+C stops."
        )
        serve(
            application, host=host, port=port, threads=threads, ident="kuzot", **WAITRESS_BUFFERS
        )
