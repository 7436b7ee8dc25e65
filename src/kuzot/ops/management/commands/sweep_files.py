"""``kuzot sweep_files``: delete encrypted files no record names (kuzot.ops.sweep)."""

from django.core.management.base import BaseCommand

from kuzot.ops.sweep import sweep


class Command(BaseCommand):
    help = (
        "Delete evidence and complaint files that no record names (left by a crash between "
        "writing a file and recording it), once they are a day old. Run daily."
    )

    def handle(self, *args, **options):
        deleted = sweep()
        self.stdout.write(f"{len(deleted)} orphaned files deleted.")
