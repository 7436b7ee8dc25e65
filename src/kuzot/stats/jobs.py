"""Statistics work that runs as background jobs (``kuzot.jobs``): publishing a release, making
the annual report, and the hidden figure. The first two need no data key: they count
categorical fields, and the long part is the disclosure check against everything released
before (tens of seconds on a large register). The hidden figure opens the consented names to
link them, so its organisation's key goes with it, sealed to the running workers."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kuzot.accounts.models import Role
from kuzot.accounts.vault import Keyring
from kuzot.analysis.linkage import LinkageError
from kuzot.jobs.kinds import JobFailed, Outcome, Progress, kind
from kuzot.jobs.models import Job
from kuzot.stats import actions, hidden
from kuzot.stats.ledger import ReleaseRefused
from kuzot.stats.reports import annual_report


def refused_message(refused: Exception) -> str:
    return _(
        "Nothing was released: it could not be shown that these numbers, together with "
        "everything released before, keep every small number safe (%(why)s). Choose fewer "
        "tables, another period or a higher smallest number; if the check ran out of time, "
        "ask the administrator for more (KUZOT_DISCLOSURE_SECONDS)."
    ) % {"why": refused}


@kind("publish", label=gettext_lazy("Publishing statistics"), roles=(Role.COORDINATOR,))
def publish(job: Job, keyring: Keyring | None, progress: Progress) -> Outcome:
    """``arguments``: the publication form's title and options (``actions.publish``)."""
    progress(0, 0, _("Checking the numbers against everything released before"))
    try:
        publication = actions.publish(job.owner, **job.arguments)
    except ReleaseRefused as refused:
        raise JobFailed(refused_message(refused)) from refused
    return Outcome(
        _("Published: %(title)s.") % {"title": publication.title},
        result_url=reverse("public_publication", args=[publication.slug]),
    )


@kind(
    "report",
    label=gettext_lazy("Annual report"),
    roles=(Role.COORDINATOR, Role.ANALYST),
)
def report(job: Job, keyring: Keyring | None, progress: Progress) -> Outcome:
    """``arguments``: ``year``, ``language`` (any of settings.LANGUAGES), ``coalition`` (bool)."""
    year, language, coalition = (job.arguments[k] for k in ("year", "language", "coalition"))
    owner = job.owner
    name = _("Coalition") if coalition else owner.organisation.name
    progress(0, 0, _("Checking the numbers against everything released before"))
    try:
        pdf = annual_report(
            owner,
            None if coalition else owner.organisation,
            owner.organisation.coalition_id,
            year,
            language,
            title=f"{name} — {year}",
        )
    except ReleaseRefused as refused:
        raise JobFailed(refused_message(refused)) from refused
    return Outcome(
        _("The annual report for %(year)s is ready.") % {"year": year},
        output=pdf,
        output_name=f"kuzot-report-{year}.pdf",
        output_type="application/pdf",
    )


@kind(
    "hidden_figure",
    label=gettext_lazy("The hidden figure: linking and estimating"),
    roles=(Role.COORDINATOR,),
    needs_key=True,
)
def hidden_figure(job: Job, keyring: Keyring | None, progress: Progress) -> Outcome:
    """Link the consented records of the members and estimate (``hidden.run``)."""
    progress(0, 0, _("Linking the records, then estimating: this can take minutes"))
    try:
        hidden.run(job.owner, keyring)
    except (ValueError, LinkageError) as error:
        raise JobFailed(_("The analysis could not run: %(why)s") % {"why": error}) from error
    return Outcome(_("The hidden figure is estimated."), result_url=reverse("hidden_figure"))
