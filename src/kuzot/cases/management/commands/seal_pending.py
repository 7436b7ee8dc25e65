"""``kuzot seal_pending``: seal what an upgrade moved out of clear columns (cases.legacy)."""

from pathlib import Path

from django.core.management.base import BaseCommand

from kuzot.cases.legacy import compact_database, seal_pending
from kuzot.cases.management.commands._unlock import member_and_keyring


class Command(BaseCommand):
    help = (
        "After an upgrade: seal what was left in the clear, then compact the database. The "
        "values are sealed under the organisation's key (also done at the next login of a "
        "member holding the key, and at every rotation); compacting removes them from the "
        "database's files."
    )

    def add_arguments(self, parser):
        parser.add_argument("--organisation", required=True)
        parser.add_argument("--user", required=True)
        parser.add_argument("--password-file", type=Path)

    def handle(self, *args, **options):
        user, keyring = member_and_keyring(
            options["organisation"], options["user"], options["password_file"]
        )
        sealed = seal_pending(user, keyring.vault(user.organisation_id))
        compact_database()
        self.stdout.write(
            f"{sealed} values sealed; none waits in the clear, and the database is compacted "
            "(backups made before still hold the values that were clear)."
        )
