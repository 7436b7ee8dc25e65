"""Reads of complaints: a recipient sees only what was sealed to them."""

import re
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from kuzot.accounts.models import User
from kuzot.intake.models import Message, RecipientKey, Submission


def inbox_for(user: User, query: str = "") -> QuerySet[Submission]:
    """The user's complaints; ``query`` finds one by its number (C-12, or 12) or by a part of
    the reference of the case it became (contents are sealed per complaint: not searched)."""
    found = Submission.objects.filter(keys__user=user)
    if query := query.strip():
        number = re.fullmatch(r"(?:[Cc]-?)?(\d{1,12})", query)
        found = found.filter(
            Q(case__reference__icontains=query) | (Q(pk=int(number[1])) if number else Q())
        )
    return (
        found.annotate(
            unread=Count(
                "messages",
                filter=Q(
                    messages__author=Message.Author.SUBMITTER, messages__read_by_recipients=False
                ),
            ),
            unseen=Count("keys", filter=Q(keys__user=user, keys__seen=False)),
        )
        .select_related("case")
        .order_by("held", "-received_on", "-id")
    )


def submission_for(user: User, pk: int) -> Submission:
    submission = Submission.objects.filter(pk=pk, keys__user=user).first()
    if submission is None:
        raise Http404
    return submission


@dataclass(frozen=True)
class Waiting:
    new: int
    held: int  # past the rate limit or caught by the honeypot: possible spam, never hidden


def waiting(user: User) -> Waiting:
    """For the home page and the inbox: how many complaints wait for this recipient, those held
    as possible spam apart (counts only, no content)."""
    counts = RecipientKey.objects.filter(user=user, seen=False).aggregate(
        new=Count("id", filter=Q(submission__held=False)),
        held=Count("id", filter=Q(submission__held=True)),
    )
    return Waiting(**counts)


def expiring(user: User, days: int = 7) -> int:
    """Complaints of this recipient not taken into a case whose keeping period (what the
    complainant agreed to) ends within ``days``: they are deleted then unless accepted or
    kept longer."""
    today = timezone.localdate()
    return (
        Submission.objects.filter(keys__user=user, expires_on__lte=today + timedelta(days=days))
        .exclude(status__in=(Submission.Status.ACCEPTED, Submission.Status.DUPLICATE))
        .count()
    )
