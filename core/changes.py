"""When the records last changed: one clock for the whole portal, kept in the cache, and the
dependency tags each change moves (core/dependencies.py).

Any save or delete of a record (or a change of its many-to-many links) moves the clock and
the tags of the records it touches, in one write. The API sends the clock as
`Last-Modified`, so a partner's conditional request is answered without running a query when
nothing changed; cached answers are served while the tags they depend on are unchanged. A
change saved inside a transaction moves them again when it commits, so that an answer made
meanwhile from the rows before the change is not kept as current. With several processes
the cache must be shared (REDIS_URL), or each process keeps its own clock and tags.

While the cache does not answer, the clock reads "now": nothing is served from the cache and
no client is told its copy is current. A save then cannot move the clock (it is saved all the
same, and logged); so each process that saw the cache fail moves the clock when the cache
answers again, and no copy made before that save is served afterwards.
"""

import datetime
import functools
import math

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from . import dependencies
from .cache import (
    on_recovery,
    safe_add,
    safe_get,
    safe_get_many,
    safe_incr,
    safe_set,
    safe_set_tags,
    warn_once,
)

CLOCK_KEY = "portal:records-changed-at"

# The changes of the last little while, numbered: an answer made while changes were saved may
# still be kept when none of them touched what it depends on (core/page_cache.py). Change n
# is kept under CHANGE_KEY % (n % CHANGES_KEPT); SEQUENCE_KEY holds the last number given.
SEQUENCE_KEY = "portal:changes:last"
CHANGE_KEY = "portal:changes:%d"
CHANGES_KEPT = 256
# How long a logged change is kept: far longer than any answer takes to make.
CHANGE_SECONDS = 600


def log_change(tags, *, everything: bool) -> int | None:
    """Number the change and keep what it moves, before it moves anything: its number."""
    safe_add(SEQUENCE_KEY, 0, None)
    number = safe_incr(SEQUENCE_KEY)
    if number is not None:
        entry = (number, everything, frozenset(tags))
        safe_set(CHANGE_KEY % (number % CHANGES_KEPT), entry, CHANGE_SECONDS)
    return number


def changes_between(first: int, last: int) -> list[tuple] | None:
    """The changes numbered `first` to `last`; None when any of them is not known (not yet
    logged, or already replaced by newer ones)."""
    if last - first + 1 > CHANGES_KEPT:
        return None
    numbers = range(first, last + 1)
    keys = [CHANGE_KEY % (number % CHANGES_KEPT) for number in numbers]
    found = safe_get_many(keys)
    entries = [found.get(key) for key in keys]
    pairs = zip(entries, numbers, strict=True)
    if any(entry is None or entry[0] != number for entry, number in pairs):
        return None
    return entries


def move_tags(tags) -> bool:
    """Log a change of `tags` and move them, leaving the clock: for what only the answers
    depending on them show (the counts the worker keeps, core/aggregates.py)."""
    number = log_change(tags, everything=False)
    collection = dependencies.current()
    if collection is not None and number is not None:
        # Counts stored while a page is made, for that page: what it shows is what they hold.
        collection.own_changes.add(number)
    return safe_set_tags(dict.fromkeys(tags, dependencies.new_version()))


def move_clock(tags=frozenset(), *, everything: bool = False) -> bool:
    """Log the change, move the clock, then `tags` (every answer's, when `everything`).

    In that order: an answer is kept only if the clock did not move while it was made (or
    the changes logged meanwhile touched none of its tags), and its tags are read before the
    clock (core/page_cache.py), so that a tag read after it moved always comes with a clock
    that moved too, and a logged change.
    """
    log_change(tags, everything=everything)
    moved = safe_set(CLOCK_KEY, timezone.now().timestamp(), None)
    version = dependencies.new_version()
    values = dict.fromkeys(tags, version)
    if everything:
        values[dependencies.EPOCH_KEY] = version
    return safe_set_tags(values) and moved


def records_changed(**kwargs) -> None:
    """A signal's receiver (save, delete, links), or called with no arguments after a change
    that no signal tells of (a bulk update): then every cached answer is stale."""
    sender = kwargs.get("sender")
    if sender is not None and sender._meta.app_label not in settings.RECORD_APPS:
        return
    if sender is None:
        tags, everything = frozenset(), True
    elif dependencies.is_historical(sender):
        tags, everything = frozenset(), False
    else:
        tags, everything = frozenset(dependencies.changed_tags(**kwargs)), False
    moved = move_clock(tags, everything=everything)
    if transaction.get_connection(kwargs.get("using") or "default").in_atomic_block:
        transaction.on_commit(
            functools.partial(move_clock, tags, everything=everything),
            using=kwargs.get("using") or "default",
        )
    if not moved:
        # Once per outage: one save fires a signal per row and link.
        warn_once(
            "A change was saved, but the change clock could not be moved (the cache does not "
            "answer); it moves when the cache answers again"
        )


@on_recovery
def clock_moved_after_an_outage() -> None:
    # Saves made while the cache was away moved no tag: every answer kept before is stale.
    move_clock(everything=True)


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
