from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kuzot.accounts.models import Organisation
from kuzot.stats.queries import Scope
from kuzot.stats.reports import annual_report, year_refused


class Command(BaseCommand):
    help = "Write the annual report (PDF) of an organisation, or of the whole coalition."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--organisation", help="short name; leave out for the coalition")
        parser.add_argument("--language", choices=["en", "ru"], default="en")
        parser.add_argument("--title", default="")
        parser.add_argument("--out", type=Path, required=True)

    def handle(
        self,
        *args,
        year: int,
        organisation: str | None,
        language: str,
        title: str,
        out: Path,
        **options,
    ):
        if refused := year_refused(year):
            raise CommandError(refused, returncode=2)
        if organisation:
            found = Organisation.objects.filter(slug=organisation).first()
            if found is None:
                raise CommandError(f"No organisation with the short name {organisation!r}.")
            organisations, name = (found.pk,), found.name
        else:
            organisations = tuple(Organisation.objects.values_list("pk", flat=True))
            name = "Coalition"
        pdf = annual_report(Scope(organisations), year, language, title=title or f"{name} — {year}")
        out.write_bytes(pdf)
        self.stdout.write(f"{out}: {len(pdf) // 1024} KB")
