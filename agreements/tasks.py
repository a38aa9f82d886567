"""Deferred work on agreements, run by the task worker (`manage.py db_worker`)."""

from django_tasks import task

from .services import refresh_agreement_statuses


@task()
def refresh_statuses() -> int:
    """The daily status refresh (`manage.py refresh_agreement_statuses --enqueue` queues it);
    how many agreements moved."""
    return len(refresh_agreement_statuses())
