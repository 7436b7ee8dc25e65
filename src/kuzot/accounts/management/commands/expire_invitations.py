from django.core.management.base import BaseCommand

from kuzot.accounts.actions import purge_expired_invitations


class Command(BaseCommand):
    help = "Delete expired invitations, with the keys they carried (run daily)."

    def handle(self, *args, **options):
        count = purge_expired_invitations()
        self.stdout.write(f"{count} expired invitations deleted.")
