from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from kuzot.ops.demo import DEMO_PASSWORD, DemoLogin, create_demo, demo_logins


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
        parser.add_argument(
            "--logins", action="store_true", help="only print the demo's logins again"
        )

    def handle(self, *args, serve: bool, port: int, cases: int, logins: bool, **options):
        if settings.PRODUCTION:
            raise CommandError("Demo data is never created under production settings.")
        if logins:
            found = demo_logins()
            if not found:
                raise CommandError("There is no demo here yet: run kuzot demo first.")
            self._print(found)
            return
        call_command("migrate", verbosity=0)
        created = create_demo(extra_cases=cases)
        settings.DEMO = True  # the marker is read at start-up; this process serves now
        self.stdout.write(self.style.WARNING("DEMO MODE: invented data, two-factor relaxed."))
        self._print(created)
        if serve:
            call_command("serve", port=port)

    def _print(self, logins: list[DemoLogin]) -> None:
        self.stdout.write(f"Every demo account's password: {DEMO_PASSWORD}")
        self.stdout.write(f"Try {logins[0].username} first: {logins[0].work}.")
        for login in logins:
            self.stdout.write(
                f"  {login.username:<18} {login.role:<22} {login.organisation:<52} {login.work}"
            )
        self.stdout.write("Print these again with: kuzot demo --logins")
