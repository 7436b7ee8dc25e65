from pathlib import Path

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from kuzot.accounts.models import Role, User
from kuzot.accounts.vault import set_password_keys
from kuzot.audit.log import Action, record
from kuzot.ops.secrets import read_secret


class Command(BaseCommand):
    help = "Create the system administrator, who manages organisations and reads no case."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--password-file", type=Path)

    def handle(self, *args, username: str, password_file: Path | None, **options):
        if User.objects.filter(username__iexact=username).exists():
            raise CommandError(f"{username!r} exists already.")
        password = read_secret(
            f"Password for {username}", password_file, option="--password-file", confirm=True
        )
        admin = User(username=username, role=Role.ADMIN)
        try:
            validate_password(password, admin)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        admin.save()
        set_password_keys(admin, password)
        record(None, Action.CREATE, admin)
        self.stdout.write(f"{username} can log in now and will set up two-factor at first login.")
