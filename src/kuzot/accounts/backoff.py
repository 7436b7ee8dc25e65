"""Login back-off per account name and per source, shared by every server process (database).

Five wrong passwords used to lock any account for 15 minutes, repeatable forever: a weapon
against the very lawyer it protected. Instead:

* **Per source** — the client's address, as the day's keyed digest (``kuzot.clients``): after
  ``SOURCE_FREE`` failures in a day, each further attempt from it must wait 2^(n − SOURCE_FREE)
  seconds (at most 15 minutes) after the last failure, and is refused unexamined meanwhile,
  without a key derivation. Only the failing address waits.
* **Per account name** — the day's keyed digest of the name as typed, whether or not such a
  user exists, so that the back-off itself tells no names apart: after ``ACCOUNT_FREE``
  failures the name is *guarded* for 2^(n − ACCOUNT_FREE) minutes after the last failure.
  While guarded, the password step no longer says whether the password was right: every
  attempt goes on to the code, and only the right password with a valid code gets in. An
  attacker can neither go on guessing passwords nor keep the real user out.

Rows hold digests, counts and the time of the last failure (a login's time is in the audit log
anyway); rows of earlier days are deleted, their digests being unlinkable by then.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from kuzot import clients
from kuzot.accounts.models import LoginBackoff

ACCOUNT_FREE = 5
SOURCE_FREE = 10
SOURCE_MAX_WAIT = timedelta(minutes=15)
ACCOUNT_MAX_GUARD = timedelta(days=1)


def account_key(username: str) -> str:
    return clients.digest(f"account|{username.casefold()}")


def _row(scope: str, key: str) -> LoginBackoff | None:
    return LoginBackoff.objects.filter(scope=scope, key=key, day=timezone.localdate()).first()


def _until(row: LoginBackoff | None, free: int, unit: timedelta, most: timedelta):
    if row is None or row.failures < free:
        return None
    return row.last_failure + min(unit * 2 ** (row.failures - free), most)


def source_wait(source: str) -> int:
    """Seconds this source must still wait before an attempt is examined (0: none)."""
    row = _row(LoginBackoff.Scope.SOURCE, source)
    until = _until(row, SOURCE_FREE, timedelta(seconds=1), SOURCE_MAX_WAIT)
    return max(0, int((until - timezone.now()).total_seconds()) + 1) if until else 0


def guarded(username: str) -> bool:
    """True while a password alone proves nothing for this name (see the module's docstring)."""
    row = _row(LoginBackoff.Scope.ACCOUNT, account_key(username))
    until = _until(row, ACCOUNT_FREE, timedelta(minutes=1), ACCOUNT_MAX_GUARD)
    return until is not None and timezone.now() < until


def failed(username: str, source: str) -> None:
    """Count a failed password or code against the name and the source."""
    today, now = timezone.localdate(), timezone.now()
    with transaction.atomic():
        LoginBackoff.objects.filter(day__lt=today).delete()
        for scope, key in (
            (LoginBackoff.Scope.ACCOUNT, account_key(username)),
            (LoginBackoff.Scope.SOURCE, source),
        ):
            row, _ = LoginBackoff.objects.select_for_update().get_or_create(
                scope=scope, key=key, day=today, defaults={"last_failure": now}
            )
            row.failures += 1
            row.last_failure = now
            row.save(update_fields=["failures", "last_failure"])
