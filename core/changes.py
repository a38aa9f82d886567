"""When the records last changed: one clock for the whole portal, kept in the cache.

Any save or delete of a record (or a change of its many-to-many links) moves the clock. The
API sends it as `Last-Modified`, so a partner's conditional request is answered without
running a query when nothing changed. With several processes the cache must be shared
(REDIS_URL), or each process keeps its own clock.

While the cache does not answer, the clock reads "now": nothing is served from the cache and
no client is told its copy is current. A save then cannot move the clock (it is saved all the
same, and logged); so each process that saw the cache fail moves the clock when the cache
answers again, and no copy made before that save is served afterwards.
"""

import datetime
import math

from django.conf import settings
from django.utils import timezone

from .cache import on_recovery, safe_add, safe_get, safe_set, warn_once

CLOCK_KEY = "portal:records-changed-at"


def move_clock() -> bool:
    return safe_set(CLOCK_KEY, timezone.now().timestamp(), None)


def records_changed(**kwargs) -> None:
    sender = kwargs.get("sender")
    if sender is not None and sender._meta.app_label not in settings.RECORD_APPS:
        return
    if not move_clock():
        # Once per outage: one save fires a signal per row and link.
        warn_once(
            "A change was saved, but the change clock could not be moved (the cache does not "
            "answer); it moves when the cache answers again"
        )


@on_recovery
def clock_moved_after_an_outage() -> None:
    move_clock()


def records_changed_at() -> datetime.datetime:
    stamp = safe_get(CLOCK_KEY)
    if stamp is None:
        # Nothing known (a fresh cache, or none answering): say "now", so that no client
        # keeps a stale copy.
        stamp = timezone.now().timestamp()
        safe_add(CLOCK_KEY, stamp, None)
    return datetime.datetime.fromtimestamp(stamp, tz=datetime.UTC)


def last_modified() -> datetime.datetime | None:
    """The `Last-Modified` to send, in whole seconds; None within a second of a change.

    HTTP dates have no fractions: a change in the same second as an earlier one would share
    its date, and a client holding the earlier copy would wrongly be told it is current.
    Sending no date until that second has passed makes every date sent a safe one.
    """
    changed = records_changed_at()
    if timezone.now() - changed < datetime.timedelta(seconds=1):
        return None
    return datetime.datetime.fromtimestamp(math.ceil(changed.timestamp()), tz=datetime.UTC)
