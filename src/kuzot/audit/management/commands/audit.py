from django.core.management.base import BaseCommand, CommandError

from kuzot.audit.log import verify


class Command(BaseCommand):
    help = "Check the audit log's hash chain: any edited or deleted event is reported."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        sub.add_parser("verify", help="walk the chain and report tampering (exit 1 if any)")

    def handle(self, *args, verb: str, **options):
        checked, problems = verify()
        for problem in problems:
            where = f"event {problem.event_id}" if problem.event_id else "log"
            self.stderr.write(f"{where}: {problem.message}")
        if problems:
            raise CommandError(
                f"The audit log was tampered with ({len(problems)} problems).", returncode=1
            )
        self.stdout.write(f"The audit log is intact: {checked} events checked.")
