"""The counts over whole tables the worker keeps (core/aggregates.py): the figures, the
cooperation network and the topic list's counts. Any change to a record asks the worker,
once the change commits, to recount them in AGGREGATES_REFRESH_DELAY_SECONDS, once for every
change saved meanwhile; `manage.py refresh_aggregates` recounts them at once.
"""

import logging

from django.conf import settings

from agreements import network  # noqa: F401  (registers the network it keeps)
from core import aggregates
from core.tasks import enqueue_debounced, once_per_transaction

from . import (
    figures,  # noqa: F401  (registers the figures it keeps)
    selectors,  # noqa: F401  (registers the topic counts it keeps)
)

logger = logging.getLogger(__name__)

# The cache key that says a recount is on its way (see schedule_refresh).
SCHEDULED_KEY = "aggregates:refresh-scheduled"


def schedule_refresh() -> None:
    """Ask the worker to recount in AGGREGATES_REFRESH_DELAY_SECONDS.

    As for the downloads (portal/downloads.py, `schedule_rebuild`): a key in the cache says a
    recount is on its way, so a burst of saves asks once; while the cache does not answer
    every transaction asks and the worker skips the recounts a recount since made needless.
    A queue that does not answer is logged, and the save is kept all the same: the pages then
    count for themselves once the stored counts lag by AGGREGATES_MAX_LAG_SECONDS.
    """
    from .tasks import refresh_aggregates

    enqueue_debounced(
        refresh_aggregates,
        key=SCHEDULED_KEY,
        delay=settings.AGGREGATES_REFRESH_DELAY_SECONDS,
        what="A recount of the figures and the network",
        changed_at=aggregates.clock(),
    )


def record_changed(sender=None, **kwargs) -> None:
    """A record was saved or deleted (or its links changed): recount once the change commits,
    one request per transaction however many rows it wrote."""
    if not settings.AGGREGATES_REFRESH_ON_CHANGE:
        return
    if sender is not None and sender._meta.app_label not in settings.RECORD_APPS:
        return
    once_per_transaction(schedule_refresh)
