"""A job's page, which follows it while it runs (htmx every second; without JavaScript the page
refreshes itself), the file it made, and the list of the user's own jobs."""

from urllib.parse import quote

from django.http import Http404, HttpResponse
from django.shortcuts import render

from kuzot.accounts.decorators import staff_required
from kuzot.jobs.kinds import KINDS
from kuzot.jobs.models import Job

POLL_SECONDS = 1
LIST_LENGTH = 50


def _own(request, pk: int) -> Job:
    """The user's own job (404 for anyone else's, whatever their role)."""
    job = Job.objects.defer("output").filter(pk=pk, owner=request.user).first()
    if job is None:
        raise Http404
    return job


@staff_required()
def job(request, pk: int):
    job = _own(request, pk)
    context = {"job": job, "label": KINDS[job.kind].label, "poll": POLL_SECONDS}
    if request.headers.get("HX-Request"):
        return render(request, "jobs/includes/status.html", context)
    return render(request, "jobs/job.html", context)


@staff_required()
def output(request, pk: int):
    job = Job.objects.filter(pk=pk, owner=request.user, output__isnull=False).first()
    if job is None:
        raise Http404
    response = HttpResponse(bytes(job.output), content_type=job.output_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(job.output_name)}"
    return response


@staff_required()
def my_jobs(request):
    jobs = Job.objects.defer("output").filter(owner=request.user)[:LIST_LENGTH]
    return render(
        request,
        "jobs/jobs.html",
        {"jobs": [(j, KINDS[j.kind].label) for j in jobs]},
    )
