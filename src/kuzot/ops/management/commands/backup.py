from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kuzot.ops.backup import BackupError, write_backup
from kuzot.ops.secrets import read_secret


class Command(BaseCommand):
    help = "Write one encrypted archive of the database and media."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--passphrase-file",
            type=Path,
            help="read the passphrase from this file instead of asking",
        )

    def _say(self, line: str) -> None:
        """Progress, on standard error (standard output says what was done)."""
        self.stderr.write(f"kuzot backup: {line}", style_func=str)

    def handle(self, *args, path: Path, passphrase_file: Path | None, **options):
        passphrase = read_secret(
            "Backup passphrase", passphrase_file, option="--passphrase-file", confirm=True
        )
        if len(passphrase) < 12:
            raise CommandError("Use a backup passphrase of at least 12 characters.")
        try:
            write_backup(path, passphrase, say=self._say)
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Backup written to {path}. Keep the passphrase apart from it.")
