"""Reading passwords and passphrases for commands: a file (for scripts) or the terminal.

Without a terminal (cron, a pipe, a container) nothing can be asked: the command stops with a
message naming the option that gives the secret in a file, rather than an ``EOFError``."""

import getpass
from pathlib import Path

from django.core.management.base import CommandError


def _no_terminal(prompt: str, option: str) -> CommandError:
    return CommandError(
        f"No terminal to ask for the {prompt.lower()}: give it in a file with {option} FILE "
        "(readable by you only)."
    )


def read_secret(prompt: str, path: Path | None, *, option: str, confirm: bool = False) -> str:
    """The secret in ``path``, or asked on the terminal; ``option`` names the command's option
    that gives the file (``--passphrase-file``), for the message when there is no terminal."""
    if path is not None:
        try:
            return path.read_text().rstrip("\n")
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror}") from error
    try:
        with open("/dev/tty"):
            pass
    except OSError:
        raise _no_terminal(prompt, option) from None
    try:
        secret = getpass.getpass(f"{prompt}: ")
        if confirm and getpass.getpass(f"{prompt} (again): ") != secret:
            raise CommandError("The two entries differ.")
    except EOFError:
        raise _no_terminal(prompt, option) from None
    return secret
