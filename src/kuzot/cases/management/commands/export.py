"""``kuzot export``: the case register (or statistics) as CSV or XLSX, audited."""

from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils import translation

from kuzot.cases import exports
from kuzot.cases.management.commands._unlock import member_and_keyring


class Command(BaseCommand):
    help = (
        "Export the cases the member sees (CSV or XLSX). Names only with --identities, for "
        "roles that see identities and cases whose documentation consent is in force; "
        "analysts get statistics."
    )

    def add_arguments(self, parser):
        parser.add_argument("--organisation", required=True)
        parser.add_argument("--user", required=True)
        parser.add_argument("--password-file", type=Path)
        parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
        parser.add_argument("--out", type=Path, required=True)
        parser.add_argument("--identities", action="store_true")
        parser.add_argument("--statistics", action="store_true", help="categories only")
        parser.add_argument("--language", choices=["en", "ru"], default="en")

    def handle(self, *args, **options):
        translation.activate(options["language"])
        user, keyring = member_and_keyring(
            options["organisation"], options["user"], options["password_file"]
        )
        data, _ = exports.export(
            user,
            keyring,
            file_format=options["format"],
            identities=options["identities"],
            statistics=options["statistics"],
        )
        options["out"].write_bytes(data)
        self.stdout.write(f"Written to {options['out']}.")
