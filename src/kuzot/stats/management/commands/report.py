from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from kuzot.accounts.models import Coalition, Organisation
from kuzot.stats.ledger import ReleaseRefused
from kuzot.stats.reports import annual_report, year_refused, year_without_data


class Command(BaseCommand):
    help = (
        "Write the annual report (PDF) of an organisation, or of the whole coalition. The "
        "report is a release: it is checked against, and added to, the coalition's ledger."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--organisation", help="short name; leave out for the coalition")
        parser.add_argument(
            "--language", choices=[code for code, _name in settings.LANGUAGES], default="en"
        )
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
            coalition_id = found.coalition_id
        else:
            coalitions = list(Coalition.objects.values_list("pk", flat=True))
            if len(coalitions) != 1:
                raise CommandError("Several coalitions: name an organisation (--organisation).")
            found, coalition_id = None, coalitions[0]
        if empty := year_without_data(found, coalition_id, year):
            raise CommandError(empty, returncode=2)
        try:
            pdf = annual_report(None, found, coalition_id, year, language, title=title)
        except ReleaseRefused as refused:
            raise CommandError(f"The report was not released: {refused}") from refused
        out.write_bytes(pdf)
        self.stdout.write(f"{out}: {len(pdf) // 1024} KB")
