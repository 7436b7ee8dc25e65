"""What a background job can be: each kind is declared once, by the app that owns the work
(``cases.jobs``, ``stats.jobs``), with who may start it and whether it needs a data key."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise

from kuzot.accounts.vault import Keyring
from kuzot.jobs.models import Job

Progress = Callable[[int, int, str], None]  # (done, total, what it is doing)


@dataclass(frozen=True)
class Outcome:
    """What a finished job leaves for its owner: a sentence, a link, perhaps a file."""

    message: str
    result_url: str = ""
    output: bytes | None = None
    output_name: str = ""
    output_type: str = ""


class JobFailed(Exception):
    """The job cannot do what was asked; the message is shown to its owner as it is."""


Run = Callable[[Job, Keyring | None, Progress], Outcome]


@dataclass(frozen=True)
class Kind:
    name: str
    label: str | Promise
    roles: tuple[str, ...]
    run: Run
    needs_key: bool = False


KINDS: dict[str, Kind] = {}


def kind(
    name: str, *, label: str | Promise, roles: tuple[str, ...], needs_key: bool = False
) -> Callable[[Run], Run]:
    """Declare ``run`` as the work of jobs of kind ``name``."""

    def register(run: Run) -> Run:
        KINDS[name] = Kind(name, label, tuple(roles), run, needs_key)
        return run

    return register
