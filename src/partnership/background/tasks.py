"""The worker's task for long work (django-tasks)."""

from django_tasks import task

from partnership.background import services


@task()
def run_job(job_id: int) -> str:
    return services.job_run(job_id=job_id)
