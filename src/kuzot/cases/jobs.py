"""Case-register work that runs as a background job (``kuzot.jobs``): importing a
spreadsheet. It writes sealed records, so it needs the organisation's data key: the request
that starts it seals that key to the running workers (``kuzot.jobs.keys``)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kuzot.accounts.models import Role
from kuzot.accounts.vault import Keyring
from kuzot.cases import imports
from kuzot.cases.models import PendingImport
from kuzot.jobs.kinds import JobFailed, Outcome, Progress, kind
from kuzot.jobs.models import Job


@kind(
    "import",
    label=gettext_lazy("Importing a spreadsheet"),
    roles=(Role.COORDINATOR, Role.LAWYER),
    needs_key=True,
)
def import_spreadsheet(job: Job, keyring: Keyring | None, progress: Progress) -> Outcome:
    """``arguments``: ``pending``, the id of the owner's ``PendingImport``."""
    pending = PendingImport.objects.filter(pk=job.arguments["pending"], user=job.owner).first()
    if pending is None:
        raise JobFailed(_("The import was deleted before it could run."))
    if pending.status != PendingImport.Status.IMPORTED:
        progress(0, 0, _("Checking every row"))
        imports.import_pending(
            job.owner,
            keyring.vault(pending.organisation_id),
            pending,
            progress=lambda report: progress(
                report.imported, len(report.good), _("Writing the cases")
            ),
        )
    return Outcome(
        _("%(imported)s cases imported, %(skipped)s already there, %(failed)s rows rejected.")
        % {"imported": pending.imported, "skipped": pending.skipped, "failed": pending.failed},
        result_url=reverse("import_result", args=[pending.pk]),
    )
