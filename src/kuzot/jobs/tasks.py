"""The one task the workers run (django-tasks, database backend): a job, by its id."""

from django_tasks import task


@task()
def run_job(job_id: int) -> None:
    from kuzot.jobs.actions import run

    run(job_id)
