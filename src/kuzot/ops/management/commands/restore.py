from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kuzot.ops.backup import BackupError, restore_backup
from kuzot.ops.secrets import read_secret


class Command(BaseCommand):
    help = "Restore a backup into a fresh installation."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--passphrase-file", type=Path)

    def _say(self, line: str) -> None:
        """Progress, on standard error (standard output says what was done)."""
        self.stderr.write(f"kuzot restore: {line}", style_func=str)

    def handle(self, *args, path: Path, passphrase_file: Path | None, **options):
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        try:
            passphrase = read_secret(
                "Backup passphrase", passphrase_file, option="--passphrase-file"
            )
            rekeyed = restore_backup(path, passphrase, say=self._say)
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
