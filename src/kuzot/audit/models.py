"""The append-only audit log: two hash chains keyed with a secret that is not in the database.

* ``AuditEvent``: staff actions, to the second.
* ``DayEvent``: events whose time of day could identify someone (a complaint arriving), known
  by their date only. They have a table, an id sequence and a chain of their own: placed
  among the timed events, their ids would tell the time of day they happened.

Each event's ``hash`` is an HMAC (``kuzot.audit.keys``) of its contents and of the previous
event's hash; an ``AuditHead`` per chain counts the events, keeps the newest hash and is itself
authenticated with the key, so neither an edited event nor a deleted tail can be hidden by
recomputing hashes without the key.
"""

import json

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

GENESIS = "0" * 64


class Chain(models.TextChoices):
    TIMED = "timed", _("timed events")
    DAILY = "daily", _("events known by their date only")


class ChainedEvent(models.Model):
    """Who did what to which record. Never carries an identity, only ids and verbs."""

    class Action(models.TextChoices):
        CREATE = "create", _("created")
        UPDATE = "update", _("updated")
        DELETE = "delete", _("deleted")
        VIEW_IDENTITY = "view_identity", _("viewed identity")
        VIEW = "view", _("viewed without identity")
        VIEW_DENIED = "view_denied", _("was refused a record")
        EXPORT = "export", _("exported")
        LOGIN = "login", _("logged in")
        LOGIN_FAILED = "login_failed", _("failed login")
        LOGOUT = "logout", _("logged out")
        KEYS = "keys", _("key management")

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(max_length=150, blank=True)
    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=40, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        abstract = True
        ordering = ["id"]

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise RuntimeError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("audit events are append-only")


class AuditEvent(ChainedEvent):
    """A staff action, to the second."""

    at = models.DateTimeField(default=timezone.now)

    class Meta(ChainedEvent.Meta):
        indexes = [models.Index(fields=["organisation", "id"])]


class DayEvent(ChainedEvent):
    """An event known by its date only, in a chain of its own (see the module docstring)."""

    on = models.DateField(default=timezone.localdate)

    class Meta(ChainedEvent.Meta):
        indexes = [models.Index(fields=["organisation", "id"])]


CHAIN_MODELS: dict[str, type[ChainedEvent]] = {Chain.TIMED: AuditEvent, Chain.DAILY: DayEvent}


def canonical(event) -> bytes:
    """The bytes an event's hash covers: every field but its own hash. ``event`` is a model
    instance (of either chain, or a migration's historical model) or any object with its
    fields."""
    when = event.at if hasattr(event, "at") else event.on
    return json.dumps(
        [
            when.isoformat(),
            event.actor_id,
            event.actor_name,
            event.organisation_id,
            event.action,
            event.object_type,
            event.object_id,
            event.detail,
            event.previous_hash,
        ],
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode()


class AuditHead(models.Model):
    """One per chain: how many events were written, the newest one's id and hash, the key's
    id, and a MAC over all of them. Catches a deleted tail, and serialises writers."""

    chain = models.CharField(max_length=5, choices=Chain.choices, unique=True, default=Chain.TIMED)
    last_id = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS)
    count = models.BigIntegerField(default=0)
    key_id = models.CharField(max_length=16, blank=True)
    mac = models.CharField(max_length=64, blank=True)


def head_fields(head) -> bytes:
    """The bytes a head's MAC covers (``head`` may be a migration's historical model)."""
    return f"head|{head.chain}|{head.count}|{head.last_id}|{head.last_hash}".encode()
