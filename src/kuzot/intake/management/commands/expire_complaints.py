from django.core.management.base import BaseCommand

from kuzot.intake.actions import expire


class Command(BaseCommand):
    help = "Delete complaints that were not accepted and are past their retention date."

    def handle(self, *args, **options):
        count = expire()
        self.stdout.write(f"{count} expired complaints deleted, with their files and keys.")
