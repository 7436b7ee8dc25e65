from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from kuzot.ops.demo import DEMO_PASSWORD, create_demo


class Command(BaseCommand):
    help = "Create the demo coalition (three organisations, every role) and print the logins."

    def add_arguments(self, parser):
        parser.add_argument("--serve", action="store_true", help="then serve the app")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--cases",
            type=int,
            default=0,
            help="add this many more invented cases (for benchmarks)",
        )

    def handle(self, *args, serve: bool, port: int, cases: int, **options):
        if settings.PRODUCTION:
            raise CommandError("Demo data is never created under production settings.")
        call_command("migrate", verbosity=0)
        logins = create_demo(extra_cases=cases)
        settings.DEMO = True  # the marker is read at start-up; this process serves now
        self.stdout.write(self.style.WARNING("DEMO MODE: invented data, two-factor relaxed."))
        self.stdout.write(f"Every demo account's password: {DEMO_PASSWORD}")
        for login in logins:
            self.stdout.write(f"  {login.username:<18} {login.role:<22} {login.organisation}")
        if serve:
            call_command("serve", port=port)
