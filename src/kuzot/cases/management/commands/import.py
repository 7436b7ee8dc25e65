"""``kuzot import FILE``: import a case register from CSV or XLSX (docs/import.md)."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from kuzot.cases import imports
from kuzot.cases.actions import CASE_EDITORS
from kuzot.cases.management.commands._unlock import member_and_keyring


class Command(BaseCommand):
    help = (
        "Import cases from a spreadsheet (CSV or XLSX). Rows are checked first, good rows "
        "are written in batches, rejected rows are reported; importing again adds nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--organisation", required=True, help="the organisation's short name")
        parser.add_argument("--user", required=True, help="the member who imports")
        parser.add_argument("--password-file", type=Path)
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
        parser.add_argument("--batch-size", type=int, default=imports.BATCH_SIZE)
        parser.add_argument("--language", choices=["en", "ru"], default="en")

    def handle(self, *args, file: Path, **options):
        translation.activate(options["language"])
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"{file}: {error.strerror}") from error
        try:
            table = imports.read_table(data, file.name, options["sheet"])
        except imports.UnreadableFile as error:
            raise CommandError(f"{file}: {error}", returncode=2) from error
        mapping = imports.guess_mapping(table.headers)
        if options["mapping"]:
            chosen = json.loads(options["mapping"].read_text())
            mapping = [chosen.get(h, m) or "" for h, m in zip(table.headers, mapping, strict=True)]
        for header, field in zip(table.headers, mapping, strict=True):
            self.stdout.write(f"  {header!r} → {field or '(not imported)'}")
        if problems := imports.check_mapping(mapping):
            raise CommandError(" ".join(problems))
        user, keyring = member_and_keyring(
            options["organisation"], options["user"], options["password_file"]
        )
        if user.role not in CASE_EDITORS:
            raise CommandError(f"A {user.role} may not import cases.")

        def progress(report):
            self.stdout.write(f"written: {report.imported} of {len(report.good)} rows")
            self.stdout.flush()

        report = imports.run_import(
            user,
            keyring.vault(user.organisation_id),
            table,
            mapping,
            dry_run=options["dry_run"],
            batch_size=options["batch_size"],
            progress=progress,
        )
        for row in report.failed:
            self.stdout.write(f"line {row.line}: {row.reason}")
        if options["rejected"] and report.failed:
            options["rejected"].write_bytes(report.rejected_csv())
        counts = report.counts
        verb = "would import" if options["dry_run"] else "imported"
        written = len(report.good) if options["dry_run"] else counts["imported"]
        self.stdout.write(
            f"{counts['rows']} rows: {verb} {written}, "
            f"already imported {counts['already_imported']}, rejected {counts['failed']}"
        )
