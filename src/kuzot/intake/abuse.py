"""Abuse control without third parties, shared by every server process through the database.

* A form token, signed and timed: a submission needs a form fetched at least a few seconds
  earlier (the cost a bot pays; a person filling the form never notices), used once. A spent
  token's random nonce is kept, with the date only, until it has expired anyway.
* A per-client daily count, under the day's keyed digest of the client's address
  (``kuzot.clients``: never the address, and a key that is never written anywhere). Past the
  limit a submission is still stored, but *held* apart as possible spam: spam never blocks a
  real complaint from being kept. Counts are per day, not per hour, so that nothing stored
  says at what time of day a complaint came.
* Size caps on text and files (in the forms, kuzot/uploads.py).

The database holds this state, not a process's memory: with several worker processes a token
spent on one is refused by the others, and a client's count is one count.
"""

import secrets
import time
from datetime import timedelta

from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone

from kuzot.intake.models import SourceCount, SpentToken

TOKEN_SALT = "kuzot.intake.form"  # noqa: S105 - a signing namespace, not a secret
MIN_SECONDS = 3
MAX_SECONDS = 24 * 3600
MAX_PER_DAY = 10


class Guard:
    def __init__(self, min_seconds: float = MIN_SECONDS, max_per_day: int = MAX_PER_DAY):
        self.min_seconds = min_seconds
        self.max_per_day = max_per_day

    def issue_token(self) -> str:
        return signing.dumps({"n": secrets.token_hex(8), "t": time.time()}, salt=TOKEN_SALT)

    def token_problem(self, token: str) -> str | None:
        """None if the token is good (and spends it), else a reason for the log-free refusal."""
        try:
            data = signing.loads(token, salt=TOKEN_SALT, max_age=MAX_SECONDS)
        except signing.BadSignature:
            return "expired"
        if time.time() - data["t"] < self.min_seconds:
            return "too_fast"
        today = timezone.localdate()
        SpentToken.objects.filter(day__lt=today - timedelta(days=1)).delete()
        try:
            with transaction.atomic():
                SpentToken.objects.create(nonce=data["n"], day=today)
        except IntegrityError:
            return "used"
        return None

    def over_limit(self, source: str) -> bool:
        """Count one submission from ``source`` (a ``kuzot.clients`` digest); True once it
        passes the daily limit."""
        today = timezone.localdate()
        with transaction.atomic():
            SourceCount.objects.filter(day__lt=today).delete()
            row, _ = SourceCount.objects.select_for_update().get_or_create(
                source=source, day=today
            )
            row.count += 1
            row.save(update_fields=["count"])
        return row.count > self.max_per_day


guard = Guard()
