from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kuzot.ops.backup import BackupError, restore_backup
from kuzot.ops.secrets import read_secret


class Command(BaseCommand):
    help = "Restore a backup into a fresh installation."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--passphrase-file", type=Path)

    def handle(self, *args, path: Path, passphrase_file: Path | None, **options):
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        try:
            rekeyed = restore_backup(path, read_secret("Backup passphrase", passphrase_file))
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write("Restored. Users log in with their own passwords, as before.")
        if rekeyed:
            self.stdout.write(
                "The audit log was written under another audit key (or none): it was re-keyed "
                "under this installation's key, and the log says so. Checkpoints taken before "
                "no longer match it: download a new one. To keep them valid, restore with the "
                "old key (KUZOT_AUDIT_KEY, or audit_key copied into the new data folder)."
            )
