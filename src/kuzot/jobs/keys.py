"""The data key a background job needs, handed to the workers without being stored.

A job that writes or reads identifying data (an import, the hidden figure's linkage) needs its
organisation's data key, which the server holds only inside a logged-in user's request. When
such a job starts, the request seals that one organisation's keys to the public key of every
live worker (``JobKey``); each worker made its key pair at start and keeps the private half in
memory only. A worker opens the keys when it runs the job; the sealed copies are deleted when
the job ends. A copy of the database, or of the whole stopped server, opens nothing: the
private keys died with the workers. A worker that restarts between the start and the run
cannot open the job's keys, and the job fails saying to start it again.
"""

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kuzot.accounts import crypto, purposes
from kuzot.accounts.vault import Keyring, Vault
from kuzot.jobs.models import Job, JobKey, WorkerKey

# A worker writes ``seen_at`` this often, and counts as live while it is this recent.
HEARTBEAT_SECONDS = 10
LIVE_SECONDS = 60
# The rows of workers gone this long are deleted (with the job keys sealed to them).
FORGET_AFTER = timedelta(days=1)

_this_worker: tuple[str, bytes] | None = None  # (worker id, private key) of this process


class NoWorker(Exception):
    """No live worker to seal a job's keys to."""


class KeysLost(Exception):
    """The job's keys were sealed to workers that have since stopped."""


def register_worker(worker_id: str) -> None:
    """Make this process's key pair and publish its public half."""
    global _this_worker
    private_key, public_key = crypto.generate_keypair()
    now = timezone.now()
    # A worker gone a day, or an earlier one of this id: what was sealed to it opens no more.
    WorkerKey.objects.filter(Q(seen_at__lt=now - FORGET_AFTER) | Q(worker_id=worker_id)).delete()
    WorkerKey.objects.create(worker_id=worker_id, public_key=public_key, seen_at=now)
    _this_worker = (worker_id, private_key)


def heartbeat(worker_id: str) -> None:
    WorkerKey.objects.filter(worker_id=worker_id).update(seen_at=timezone.now())


def retire_worker(worker_id: str) -> None:
    """The worker stops: its public key (and every job key sealed to it) goes."""
    global _this_worker
    WorkerKey.objects.filter(worker_id=worker_id).delete()
    if _this_worker and _this_worker[0] == worker_id:
        _this_worker = None


def seal_for_workers(job: Job, vault: Vault) -> None:
    """Seal ``vault``'s keys (one organisation's) to every live worker, for ``job`` only."""
    live = WorkerKey.objects.filter(seen_at__gte=timezone.now() - timedelta(seconds=LIVE_SECONDS))
    keyring = Keyring({vault.organisation_id: dict(vault.keys)}).dump()
    sealed = [
        JobKey(
            job=job,
            worker=worker,
            sealed=crypto.seal_to(
                bytes(worker.public_key),
                keyring,
                purposes.job_key(job.pk, job.organisation_id, worker.worker_id),
            ),
        )
        for worker in live
    ]
    if not sealed:
        raise NoWorker
    JobKey.objects.bulk_create(sealed)


def open_for_job(job: Job) -> Keyring:
    """The keys sealed for ``job`` to this process's worker."""
    if _this_worker is None:
        raise KeysLost
    worker_id, private_key = _this_worker
    job_key = (
        JobKey.objects.filter(job=job, worker__worker_id=worker_id).select_related("worker").first()
    )
    if job_key is None:
        raise KeysLost
    return Keyring.load(
        crypto.open_sealed(
            private_key,
            bytes(job_key.sealed),
            purposes.job_key(job.pk, job.organisation_id, job_key.worker.worker_id),
        )
    )


def forget(job: Job) -> None:
    JobKey.objects.filter(job=job).delete()


def keys_lost_message() -> str:
    return _(
        "The background worker restarted before it could run this job, and the keys it "
        "needed went with it (they are never stored). Start the job again."
    )
