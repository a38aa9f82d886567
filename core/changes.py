"""When the records last changed: one clock for the whole portal, kept in the cache.

Any save or delete of a record (or a change of its many-to-many links) moves the clock. The
API sends it as `Last-Modified`, so a partner's conditional request is answered without
running a query when nothing changed. With several processes the cache must be shared
(REDIS_URL), or each process keeps its own clock.
"""

import datetime
import math

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

CLOCK_KEY = "portal:records-changed-at"


def records_changed(**kwargs) -> None:
    sender = kwargs.get("sender")
    if sender is not None and sender._meta.app_label not in settings.RECORD_APPS:
        return
    cache.set(CLOCK_KEY, timezone.now().timestamp(), None)


def records_changed_at() -> datetime.datetime:
    stamp = cache.get(CLOCK_KEY)
    if stamp is None:
        # Nothing known (a fresh cache): say "now", so that no client keeps a stale copy.
        stamp = timezone.now().timestamp()
        cache.add(CLOCK_KEY, stamp, None)
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
