"""Publishing runs as a background job: the disclosure check against everything released
before can take tens of seconds. Started on the web, run by the real ``kuzot worker``."""

import subprocess
import sys

import pytest
from django.urls import reverse

from kuzot.jobs.models import Job, JobKey
from kuzot.stats.models import Publication
from tests.jobs import worker

FORM = {
    "title": "Background test",
    "year_from": 2021,
    "year_to": 2023,
    "tables": ["agency", "region"],
    "threshold": 5,
    "rounding_base": "",
    "publish": "",
}


@pytest.mark.django_db(transaction=True)
def test_a_publication_started_on_the_web_is_run_by_the_kuzot_worker_command(
    world, ninety_acts, signed_in
):
    client = signed_in("a-coordinator")
    started = client.post(reverse("publications"), FORM)
    job = Job.objects.get()
    assert started.url == reverse("job", args=[job.pk])
    assert job.status == Job.Status.QUEUED and not Publication.objects.exists()

    # Following it: the page polls with htmx every second, and refreshes itself without it.
    page = client.get(started.url).content.decode()
    assert 'hx-trigger="every 1s"' in page
    assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in page
    assert "You may close this page" in page

    # The tab is closed (nobody polls); a real worker process runs the queue and stops.
    subprocess.run(
        [sys.executable, "-m", "kuzot.cli", "worker", "--batch", "--no-startup-delay"],
        env=worker.env(),
        check=True,
        timeout=300,
    )
    job.refresh_from_db()
    publication = Publication.objects.get()
    assert job.status == Job.Status.DONE and job.finished_at is not None
    assert job.result_url == reverse("public_publication", args=[publication.slug])
    assert not JobKey.objects.exists()

    # Coming back later, the owner finds it under "My jobs", finished, with its link.
    listed = client.get(reverse("jobs")).content.decode()
    assert reverse("job", args=[job.pk]) in listed and "Published: Background test." in listed
    page = client.get(reverse("job", args=[job.pk])).content.decode()
    assert job.result_url in page and "hx-trigger" not in page and "refresh" not in page
