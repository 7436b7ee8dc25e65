"""``kuzot import_recommendations FILE``: recommendations from UHRI's or UPR Info's export, or
the template (docs/recommendations.md)."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from kuzot.accounts.models import User
from kuzot.recommendations import imports


class Command(BaseCommand):
    help = (
        "Import recommendations from a spreadsheet (CSV or XLSX): a recommendation already "
        "recorded is updated, never added twice; rejected rows are reported with their reason."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--organisation", required=True, help="the organisation's short name")
        parser.add_argument("--user", required=True, help="the coordinator who imports")
        parser.add_argument(
            "--mapping",
            type=Path,
            help='JSON object {"column header": "field", …}; unlisted columns are guessed',
        )
        parser.add_argument("--sheet", help="the XLSX sheet (default: the first)")
        parser.add_argument("--dry-run", action="store_true", help="check only, write nothing")
        parser.add_argument(
            "--rejected", type=Path, help="write the rejected rows (with line and reason) here"
        )
        parser.add_argument("--language", choices=["en", "ru"], default="en")

    def handle(self, *args, file: Path, **options):
        translation.activate(options["language"])
        user = User.objects.filter(
            username=options["user"], organisation__slug=options["organisation"], is_active=True
        ).first()
        if user is None:
            raise CommandError(f"No member {options['user']} in {options['organisation']}.")
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"{file}: {error.strerror}") from error
        try:
            table = imports.read_table(data, file.name, options["sheet"])
            mapping = imports.guess_mapping(table.headers)
            if options["mapping"]:
                chosen = json.loads(options["mapping"].read_text())
                mapping = [
                    chosen.get(h, m) or "" for h, m in zip(table.headers, mapping, strict=True)
                ]
            for header, field in zip(table.headers, mapping, strict=True):
                self.stdout.write(f"  {header!r} → {field or '(not imported)'}")
            report = imports.run_import(user, table, mapping=mapping, dry_run=options["dry_run"])
        except imports.UnreadableFile as error:
            raise CommandError(f"{file}: {error}", returncode=2) from error
        except PermissionError as error:
            raise CommandError(f"A {user.role} may not import recommendations.") from error
        for row in report.rejected:
            self.stdout.write(f"line {row.line}: {row.reason}")
        if options["rejected"] and report.rejected:
            options["rejected"].write_bytes(report.rejected_csv())
        verb = "would be" if options["dry_run"] else "were"
        self.stdout.write(
            f"{verb}: " + ", ".join(f"{name}: {n}" for name, n in report.counts.items())
        )
