"""Reading passwords and passphrases for commands: a file (for scripts) or the terminal."""

import getpass
from pathlib import Path

from django.core.management.base import CommandError


def read_secret(prompt: str, path: Path | None, *, confirm: bool = False) -> str:
    if path is not None:
        try:
            return path.read_text().rstrip("\n")
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror}") from error
    secret = getpass.getpass(f"{prompt}: ")
    if confirm and getpass.getpass(f"{prompt} (again): ") != secret:
        raise CommandError("The two entries differ.")
    return secret
