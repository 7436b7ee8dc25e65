"""Starting and running background jobs. A job is started in a request (``start_job``) and
run by a worker (``run``); its progress and outcome are written to its row as it goes, so the
owner sees them from any server process, and a closed tab loses nothing."""

import logging
import traceback

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kuzot.accounts.models import User
from kuzot.accounts.vault import Vault
from kuzot.audit.log import Action, record
from kuzot.jobs import keys
from kuzot.jobs.kinds import KINDS, JobFailed, Outcome
from kuzot.jobs.models import Job

logger = logging.getLogger(__name__)


def start_job(actor: User, kind: str, arguments: dict, *, vault: Vault | None = None) -> Job:
    """Queue a job of ``kind`` for ``actor``. A kind that needs a data key takes the actor's
    ``vault``, sealed to the live workers only (``kuzot.jobs.keys``)."""
    from kuzot.jobs.tasks import run_job

    declared = KINDS[kind]
    if actor.role not in declared.roles or not actor.organisation_id:
        raise PermissionError(f"{actor.role} may not start {kind} jobs")
    if declared.needs_key and vault is None:
        raise ValueError(f"{kind} jobs need the organisation's data key")
    with transaction.atomic():
        job = Job.objects.create(
            owner=actor,
            organisation_id=actor.organisation_id,
            kind=kind,
            language=translation.get_language() or "en",
            arguments=arguments,
            message=_("Waiting for a worker"),
        )
        if declared.needs_key:
            keys.seal_for_workers(job, vault)  # raises keys.NoWorker: none is running
        job.task_id = str(run_job.enqueue(job.pk).id)
        job.save(update_fields=["task_id"])
        record(actor, Action.CREATE, job, detail={"job": kind})
    return job


def report_progress(job: Job, done: int, total: int, message: str) -> None:
    """Where the job is, for its page (one short write)."""
    Job.objects.filter(pk=job.pk).update(done=done, total=total, message=message[:300])


def _finish(job: Job, status: str, outcome: Outcome) -> None:
    job.status = status
    job.outcome = outcome.message[:1000]
    job.result_url = outcome.result_url
    job.output = outcome.output
    job.output_name = outcome.output_name
    job.output_type = outcome.output_type
    job.finished_at = timezone.now()
    if status == Job.Status.DONE and job.total:
        job.done = job.total
    job.save()


def run(job_id: int) -> None:
    """Run one queued job in this worker: its kind's work, with its owner's language; any
    failure ends as a sentence for the owner (a traceback goes to the server log only, and
    without the exception's text, which could quote a record)."""
    job = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).first()
    if job is None:
        return  # gone (its owner was removed) or run already
    declared = KINDS[job.kind]
    job.status, job.started_at, job.message = Job.Status.RUNNING, timezone.now(), ""
    job.save(update_fields=["status", "started_at", "message"])
    with translation.override(job.language):
        try:
            keyring = keys.open_for_job(job) if declared.needs_key else None
            keys.forget(job)  # opened (or not openable): the sealed copies go now

            def progress(done: int, total: int, message: str) -> None:
                report_progress(job, done, total, message)
                job.done, job.total = done, total

            outcome = declared.run(job, keyring, progress)
        except keys.KeysLost:
            _finish(job, Job.Status.FAILED, Outcome(keys.keys_lost_message()))
        except JobFailed as failure:
            _finish(job, Job.Status.FAILED, Outcome(str(failure)))
        except Exception as error:
            logger.error(
                "job %s (%s) failed: %s\n%s",
                job.pk,
                job.kind,
                type(error).__name__,
                "".join(traceback.format_tb(error.__traceback__)),
            )
            _finish(
                job,
                Job.Status.FAILED,
                Outcome(
                    _(
                        "The job stopped on an unexpected error; nothing was lost from the "
                        "register. Try again, and if it fails again tell the administrator "
                        "job number %(n)s."
                    )
                    % {"n": job.pk}
                ),
            )
        else:
            _finish(job, Job.Status.DONE, outcome)
        finally:
            keys.forget(job)
