"""Background jobs: what a user started, how far it got, and what came out of it.

A job's row is the one place its state lives, shared by every server process and the workers
(``kuzot serve --workers N``): the page that shows it reads the row, never process memory.
Its ``arguments`` hold ids and options only; what is identifying stays in the records the job
works on (sealed there), and the data key a job needs reaches the worker sealed to the
worker's own key pair, which lives in the worker's memory only (``kuzot.jobs.keys``)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kuzot.accounts.models import Organisation


class Job(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("waiting for a worker")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=40)
    language = models.CharField(max_length=10, default="en")
    arguments = models.JSONField(default=dict, blank=True)  # ids and options, nothing identifying
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    message = models.CharField(max_length=300, blank=True)  # the step it is at
    outcome = models.CharField(max_length=1000, blank=True)  # what came of it, for the owner
    result_url = models.CharField(max_length=300, blank=True)
    # A file the job made for its owner (an annual report: protected numbers only, no names).
    output = models.BinaryField(null=True, editable=False)
    output_name = models.CharField(max_length=100, blank=True)
    output_type = models.CharField(max_length=100, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["owner", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self) -> int | None:
        return min(100, 100 * self.done // self.total) if self.total else None


class WorkerKey(models.Model):
    """A running worker's public key; its private half exists only in that worker's memory."""

    worker_id = models.CharField(max_length=64, unique=True)
    public_key = models.BinaryField()
    seen_at = models.DateTimeField(default=timezone.now)


class JobKey(models.Model):
    """The data key a job needs, sealed to one live worker's public key; deleted when the job
    ends. Useless without that worker's memory: a copy of the server holds nothing that
    opens it."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="keys")
    worker = models.ForeignKey(WorkerKey, on_delete=models.CASCADE, related_name="+")
    sealed = models.BinaryField()
