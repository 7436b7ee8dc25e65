"""``kuzot sweep_files``: delete encrypted files no record names (kuzot.ops.sweep)."""

from django.core.management.base import BaseCommand

from kuzot.ops.sweep import sweep


class Command(BaseCommand):
    help = (
        "Delete encrypted files no record names, left by a crash (run daily). Evidence and "
        "complaint files written but never recorded go once they are a day old."
    )

    def handle(self, *args, **options):
        deleted = sweep()
        self.stdout.write(f"{len(deleted)} orphaned files deleted.")
