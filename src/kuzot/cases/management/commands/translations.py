from pathlib import Path

from babel.messages.pofile import PoFileError
from django.core.management.base import BaseCommand, CommandError

from kuzot.accounts.models import Organisation
from kuzot.cases.translations import export, import_labels, translatable


class Command(BaseCommand):
    help = (
        "Labels of data (vocabulary terms, regions, places of detention, organisation names) in "
        "one language, as a PO file for a translator working offline, and back."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        for verb, helptext in (
            ("export", "write the labels of one language to a PO file"),
            ("import", "read a filled PO file back; fuzzy entries stay suggestions"),
        ):
            command = sub.add_parser(verb, help=helptext)
            command.add_argument("--language", required=True, choices=translatable())
            command.add_argument(
                "--organisation",
                help="its own terms, places and name too (without: the shipped terms only)",
            )
            command.add_argument("file", type=Path, help="the PO file")

    def handle(self, *args, verb: str, language: str, organisation: str | None, file: Path, **o):
        found = None
        if organisation:
            found = Organisation.objects.filter(slug=organisation).first()
            if found is None:
                raise CommandError(f"No organisation with the short name {organisation!r}.")
        if verb == "export":
            file.write_bytes(export(language, found))
            self.stdout.write(f"Wrote {file}.")
            return
        try:
            applied = import_labels(None, file.read_bytes(), language, organisation=found)
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from error
        except (PoFileError, ValueError, UnicodeDecodeError) as error:
            raise CommandError(f"{file} is not a PO file Kuzot can read: {error}") from error
        self.stdout.write(f"{applied.updated} labels updated, {applied.unchanged} unchanged.")
        for context in applied.not_found:
            self.stderr.write(f"Not found (left alone): {context}")
        for context in applied.not_allowed:
            self.stderr.write(f"Not {organisation}'s to change (left alone): {context}")
