"""Who is asking: the client's address, and the digest under which throttles count it.

The address is the connecting one (``REMOTE_ADDR``) unless that is a trusted reverse proxy
(``KUZOT_TRUSTED_PROXIES``, loopback by default), in which case it is the last address the
proxies added to ``X-Forwarded-For`` that is not itself a trusted proxy. Behind the documented
nginx every client used to be 127.0.0.1, so one sender's complaints held everyone's.

Nothing stores an address. Throttles (complaint limits, login back-off) store ``digest(address)``:
an HMAC under a key derived from the day and from ``SERVER_SECRET``, random bytes made when this
module is first imported and never written anywhere. ``kuzot serve`` imports it before it starts
its worker processes, so they share the secret and count a client together; the digests change
every day, and once the server stops no one can tell whose they were.
"""

import hashlib
import hmac
import ipaddress
import secrets
from datetime import date
from functools import cache

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

SERVER_SECRET = secrets.token_bytes(32)


@cache
def _trusted(spec: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(item.strip(), strict=False) for item in spec if item.strip())


def _is_trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in _trusted(tuple(settings.KUZOT_TRUSTED_PROXIES)))


def address(request: HttpRequest) -> str:
    """The client's address as far as the trusted proxies vouch for it."""
    remote = request.META.get("REMOTE_ADDR", "")
    if not _is_trusted(remote):
        return remote
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for hop in reversed([a for a in forwarded if a]):
        if not _is_trusted(hop):
            return hop
    return remote


def digest(value: str, day: date | None = None) -> str:
    """A keyed digest of ``value`` that changes every day and dies with the server."""
    day = day or timezone.localdate()
    key = hmac.new(SERVER_SECRET, day.isoformat().encode(), hashlib.sha256).digest()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def source(request: HttpRequest) -> str:
    """The digest of the client's address, today."""
    return digest(address(request))
