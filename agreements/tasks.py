"""Deferred work on agreements, run by the task worker (`manage.py db_worker`): the daily
status refresh and the daily run of the expiry reminders (agreements/services/reminders.py).

`send_agreement_reminders_daily` sends what is due, then queues itself for the next day; the
`send_agreement_reminders --schedule` command (run by `make run` and `make worker`, and by the
worker's systemd unit before it starts) queues the first run unless one is waiting. The cron
job or timer in production does the same work again: a reminder is never sent twice.
"""

import datetime
import logging

from django.utils import timezone
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from .services import refresh_agreement_statuses
from .services.reminders import send_due_reminders

logger = logging.getLogger(__name__)

# When the daily run comes, in the portal's time zone: early, before people read their mail.
DAILY_AT = datetime.time(6, 0)


def next_run(now: datetime.datetime | None = None) -> datetime.datetime:
    """The next DAILY_AT after `now`."""
    now = timezone.localtime(now)
    at = now.replace(hour=DAILY_AT.hour, minute=DAILY_AT.minute, second=0, microsecond=0)
    return at if at > now else at + datetime.timedelta(days=1)


@task()
def send_agreement_reminders_daily() -> int:
    """The day's work on agreements: first the statuses whose dates have passed (an agreement
    that expired yesterday gets no reminder), then the reminders due today; then come back
    tomorrow, even after a failure."""
    try:
        try:
            refresh_agreement_statuses()
        except Exception:
            # The reminders still go out: each is checked against the agreement's dates.
            logger.exception("The daily status refresh failed")
        return len(send_due_reminders().sent)
    finally:
        schedule_daily_reminders(force=True)


def daily_run_waiting() -> bool:
    """Whether the daily run is queued already (the database queue only)."""
    return DBTaskResult.objects.filter(
        task_path=send_agreement_reminders_daily.module_path, status=TaskResultStatus.READY
    ).exists()


def queue_runs_later() -> bool:
    """A queue that cannot run a task later (the immediate backend) gets no daily run: the
    task would run again at once, for ever. The cron job or timer covers it there."""
    return send_agreement_reminders_daily.get_backend().supports_defer


def schedule_daily_reminders(*, force: bool = False) -> bool:
    """Queue the next daily run, unless one waits already; whether one was queued."""
    if not queue_runs_later():
        return False
    if not force and daily_run_waiting():
        return False
    send_agreement_reminders_daily.using(run_after=next_run()).enqueue()
    return True


@task()
def refresh_statuses() -> int:
    """The daily status refresh (`manage.py refresh_agreement_statuses --enqueue` queues it);
    how many agreements moved."""
    return len(refresh_agreement_statuses())


@task()
def count_public_network(*, limit: int, asked_at: float) -> bool:
    """Count the network of all public agreements (agreements/network.py), unless one counted
    since `asked_at` (a timestamp) is stored already; whether it counted."""
    from core import aggregates
    from core.models import Aggregate

    from .network import public_network_key

    key = public_network_key(limit)
    since = datetime.datetime.fromtimestamp(asked_at, tz=datetime.UTC)
    if Aggregate.objects.filter(key=key, computed_at__gte=since).exists():
        return False
    aggregates.store([key])
    logger.info("Network of public agreements counted: %s", key)
    return True
