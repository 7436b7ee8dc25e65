from django.conf import settings
from django.core.management.base import BaseCommand


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
        serve(application, host=host, port=port, threads=threads, ident="kuzot")
