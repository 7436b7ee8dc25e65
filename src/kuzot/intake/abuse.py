"""Abuse control without third parties: nothing here is written to disk.

* A form token, signed and timed: a submission needs a form fetched at least a few seconds
  earlier (the cost a bot pays; a person filling the form never notices), used once.
* A per-client rate limit held in memory only, keyed by a salted hash of the address that
  changes every day and is never stored. Past the limit a submission is still stored, but
  *held* apart as possible spam: spam never blocks a real complaint from being kept.
* Size caps on text and files (in the forms).
"""

import hashlib
import hmac
import secrets
import threading
import time
from collections import deque

from django.core import signing

TOKEN_SALT = "kuzot.intake.form"  # noqa: S105 - a signing namespace, not a secret
MIN_SECONDS = 3
MAX_SECONDS = 24 * 3600
WINDOW_SECONDS = 3600
MAX_PER_WINDOW = 10


class Guard:
    def __init__(self, min_seconds: float = MIN_SECONDS, max_per_window: int = MAX_PER_WINDOW):
        self.min_seconds = min_seconds
        self.max_per_window = max_per_window
        self._lock = threading.Lock()
        self._salt = (secrets.token_bytes(32), int(time.time() // 86400))
        self._seen: dict[str, deque[float]] = {}
        self._used_tokens: dict[str, float] = {}

    def issue_token(self) -> str:
        return signing.dumps({"n": secrets.token_hex(8), "t": time.time()}, salt=TOKEN_SALT)

    def token_problem(self, token: str) -> str | None:
        """None if the token is good (and spends it), else a reason for the log-free refusal."""
        try:
            data = signing.loads(token, salt=TOKEN_SALT, max_age=MAX_SECONDS)
        except signing.BadSignature:
            return "expired"
        age = time.time() - data["t"]
        if age < self.min_seconds:
            return "too_fast"
        with self._lock:
            self._forget_old(self._used_tokens, MAX_SECONDS)
            if data["n"] in self._used_tokens:
                return "used"
            self._used_tokens[data["n"]] = time.time()
        return None

    def over_limit(self, client_address: str) -> bool:
        """Count one submission for this client; True once it passes the hourly limit."""
        now = time.time()
        with self._lock:
            salt, day = self._salt
            if day != int(now // 86400):
                self._salt, self._seen = (secrets.token_bytes(32), int(now // 86400)), {}
                salt = self._salt[0]
            client = hmac.new(salt, client_address.encode(), hashlib.sha256).hexdigest()
            times = self._seen.setdefault(client, deque())
            while times and times[0] < now - WINDOW_SECONDS:
                times.popleft()
            times.append(now)
            return len(times) > self.max_per_window

    @staticmethod
    def _forget_old(table: dict[str, float], age: float) -> None:
        cutoff = time.time() - age
        for key in [k for k, t in table.items() if t < cutoff]:
            del table[key]


guard = Guard()
