"""A long operation started on the web runs as a background job: a real worker runs it, its
owner follows its progress (htmx, or a page that refreshes itself without JavaScript), nobody
else sees it, a failure is a sentence and not a traceback, and a closed tab loses nothing."""

import pytest
from django.urls import reverse

from kuzot.jobs import keys
from kuzot.jobs.actions import report_progress, start_job
from kuzot.jobs.kinds import KINDS, JobFailed, Outcome, kind
from kuzot.jobs.models import Job, JobKey
from tests.jobs import worker


def test_progress_is_shown_to_the_owner_only(world, signed_in):
    job = start_job(world.user("a-analyst"), "report", {"year": 2022, "language": "en",
                                                        "coalition": False})  # fmt: skip
    report_progress(job, 40, 160, "Counting")
    owner = signed_in("a-analyst")
    part = owner.get(reverse("job", args=[job.pk]), headers={"HX-Request": "true"})
    text = part.content.decode()
    assert part.status_code == 200 and "<html" not in text
    assert '<progress id="job-progress" value="40" max="160">' in text and "Counting" in text
    for other in ("a-coordinator", "b-analyst", "a-lawyer"):
        client = signed_in(other)
        assert client.get(reverse("job", args=[job.pk])).status_code == 404
        assert reverse("job", args=[job.pk]) not in client.get(reverse("jobs")).content.decode()


@pytest.fixture
def failing_kind():
    @kind("test_failure", label="Failing test job", roles=("lawyer",))
    def run(job, keyring, progress) -> Outcome:
        progress(1, 3, "Halfway")
        if job.arguments["how"] == "refused":
            raise JobFailed("The numbers could not be shown safely.")
        name = "".join(["Тест", " Тестов"])
        raise ZeroDivisionError(name)  # an unexpected error quoting a record

    yield
    del KINDS["test_failure"]


def test_a_failing_job_says_so_in_a_sentence_without_a_traceback(
    world, signed_in, failing_kind, caplog
):
    lawyer = world.user("a-lawyer")
    refused = start_job(lawyer, "test_failure", {"how": "refused"})
    crashed = start_job(lawyer, "test_failure", {"how": "crash"})
    worker.run_queued()
    client = signed_in("a-lawyer")
    refused_page = client.get(reverse("job", args=[refused.pk])).content.decode()
    assert "Failed" in refused_page and "The numbers could not be shown safely." in refused_page
    crashed_page = client.get(reverse("job", args=[crashed.pk])).content.decode()
    assert f"job number {crashed.pk}" in crashed_page
    for page in (refused_page, crashed_page):
        assert "Traceback" not in page and "ZeroDivisionError" not in page
    # The server log has where it failed, never the error's text (it may quote a record).
    assert "ZeroDivisionError" in caplog.text and "Тест" not in caplog.text


def test_a_job_needing_the_data_key_gets_it_sealed_to_the_live_worker_only(world):
    from kuzot.accounts.vault import Keyring

    @kind("test_key", label="Key test job", roles=("lawyer",), needs_key=True)
    def run(job, keyring: Keyring, progress) -> Outcome:
        return Outcome(str(sorted(keyring.vault(job.organisation_id).keys)))

    try:
        lawyer, vault = world.user("a-lawyer"), world.vault("a")
        with pytest.raises(keys.NoWorker):  # no worker running: nothing to seal to
            start_job(lawyer, "test_key", {}, vault=vault)
        worker.start_worker()
        job = start_job(lawyer, "test_key", {}, vault=vault)
        sealed = bytes(JobKey.objects.get(job=job).sealed)
        assert vault.keys[vault.version] not in sealed
        worker.run_queued()
        job.refresh_from_db()
        assert job.status == Job.Status.DONE and job.outcome == str(sorted(vault.keys))
        assert not JobKey.objects.exists()

        # The worker restarts (a new key pair) before running the next one: the job fails
        # and says to start it again; nothing it needed was kept.
        job = start_job(lawyer, "test_key", {}, vault=vault)
        worker.start_worker()
        worker.run_queued()
        job.refresh_from_db()
        assert job.status == Job.Status.FAILED and "Start the job again" in job.outcome
    finally:
        del KINDS["test_key"]
