"""``kuzot places import FILE``: load a list of places of detention (docs/import.md)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from kuzot.accounts.models import Organisation, Role, User
from kuzot.cases import imports, places
from kuzot.ops.secrets import read_secret


class Command(BaseCommand):
    help = "Load a list of places of detention from a spreadsheet (CSV or XLSX)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        load = sub.add_parser(
            "import",
            help="every row or, when one is wrong, none: each problem is listed by line",
        )
        load.add_argument("file", type=Path)
        load.add_argument("--organisation", required=True, help="the organisation's short name")
        load.add_argument("--user", required=True, help="a coordinator of the organisation")
        load.add_argument("--password-file", type=Path)
        load.add_argument("--sheet", help="the XLSX sheet (default: the first)")
        load.add_argument("--dry-run", action="store_true", help="check only, write nothing")
        load.add_argument("--language", choices=["en", "ru"], default="en")

    def handle(self, *args, verb: str, file: Path, **options):
        translation.activate(options["language"])
        actor = self._coordinator(options["organisation"], options["user"])
        password = read_secret(
            f"Password of {actor.username}", options["password_file"], option="--password-file"
        )
        if not actor.check_password(password):
            raise CommandError("Wrong password.")
        try:
            table = imports.read_table(file.read_bytes(), file.name, options["sheet"])
        except OSError as error:
            raise CommandError(f"{file}: {error.strerror}") from error
        except imports.UnreadableFile as error:
            raise CommandError(f"{file}: {error}", returncode=2) from error
        report = places.import_places(actor, table, dry_run=options["dry_run"])
        if report.problems:
            for problem in report.problems:
                self.stderr.write(f"{file.name}: {problem}")
            raise CommandError(
                f"{len(report.problems)} problem(s) in {file.name}: nothing was imported.",
                returncode=2,
            )
        if options["dry_run"]:
            self.stdout.write(f"{len(table.rows)} rows are correct; nothing was written.")
            return
        self.stdout.write(
            f"{len(table.rows)} rows: {report.created} places created, {report.updated} "
            f"updated, {report.unchanged} unchanged."
        )

    def _coordinator(self, slug: str, username: str) -> User:
        organisation = Organisation.objects.filter(slug=slug).first()
        if organisation is None:
            raise CommandError(f"No organisation with the short name {slug!r}.")
        user = User.objects.filter(
            organisation=organisation, username=username, is_active=True
        ).first()
        if user is None or user.role != Role.COORDINATOR:
            raise CommandError(f"{username!r} is not a coordinator of {slug}.")
        return user
