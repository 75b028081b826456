"""The worker's tasks for notifications (django-tasks)."""

from django_tasks import task

from partnership.notifications import deadlines, services


@task()
def deliver() -> int:
    return services.deliver_pending()


@task()
def evaluate() -> int:
    return deadlines.deadlines_evaluate()
