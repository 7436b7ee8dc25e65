from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from kuzot.accounts import crypto, keys, vault
from kuzot.accounts.models import Organisation, User
from kuzot.ops.secrets import read_secret


class Command(BaseCommand):
    help = "Rotate an organisation's data key, or recover an organisation with its recovery key."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        rotate = sub.add_parser("rotate", help="new data key; every sealed value re-encrypted")
        rotate.add_argument("--organisation", required=True, help="the organisation's short name")
        rotate.add_argument("--user", help="a member whose password unlocks the current key")
        rotate.add_argument("--password-file", type=Path)
        rotate.add_argument(
            "--recovery-key-file",
            type=Path,
            help="unlock with the recovery key instead of a password",
        )
        recover = sub.add_parser("recover", help="give a member a new password and the key")
        recover.add_argument("--organisation", required=True)
        recover.add_argument("--user", required=True)
        recover.add_argument("--recovery-key-file", type=Path)
        recover.add_argument("--new-password-file", type=Path)

    def handle(self, *args, verb: str, organisation: str, **options):
        slug, organisation = organisation, Organisation.objects.filter(slug=organisation).first()
        if organisation is None:
            raise CommandError(f"No organisation with the short name {slug!r}.")
        try:
            if verb == "rotate":
                self._rotate(organisation, **options)
            else:
                self._recover(organisation, **options)
        except (crypto.DecryptionError, vault.VaultLocked) as error:
            raise CommandError(f"The key did not open: {error}") from error

    def _member(self, organisation: Organisation, username: str | None) -> User:
        user = User.objects.filter(
            organisation=organisation, username=username, is_active=True
        ).first()
        if user is None:
            raise CommandError(f"{username!r} is not a member of {organisation.slug}.")
        return user

    def _rotate(self, organisation, *, user, password_file, recovery_key_file, **options):
        if recovery_key_file is not None or user is None:
            text = read_secret("Recovery key", recovery_key_file, option="--recovery-key-file")
            old, actor = vault.open_with_recovery_key(organisation, text), None
        else:
            actor = self._member(organisation, user)
            password = read_secret(f"Password of {user}", password_file, option="--password-file")
            if not actor.check_password(password):
                raise CommandError("Wrong password.")
            old = keys.unlock_with_password(actor, password)
        rotated = keys.rotate(actor, organisation, old)
        self.stdout.write("The data key and the organisation's key pair are rotated.")
        self.stdout.write("The new key is granted to: " + (", ".join(rotated.members) or "nobody"))
        self.stdout.write("The NEW recovery key (shown only now):")
        self.stdout.write(f"  {rotated.recovery_key}")
        self.stdout.write("Pending invitations were withdrawn; the old recovery key opens nothing.")

    def _recover(self, organisation, *, user, recovery_key_file, new_password_file, **options):
        member = self._member(organisation, user)
        text = read_secret("Recovery key", recovery_key_file, option="--recovery-key-file")
        new_password = read_secret(
            f"New password for {user}",
            new_password_file,
            option="--new-password-file",
            confirm=True,
        )
        try:
            keys.recover(organisation, text, member, new_password)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(f"{user} has a new password and the key; they must change it at login.")
