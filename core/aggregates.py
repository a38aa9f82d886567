"""Counts over whole tables, kept by the worker and read by the pages in one query.

A figure or a graph that counts every record is too slow to count per request. Each one is
registered here under a key with the function that computes it (a JSON-ready value); the
worker recomputes them after records change (`refresh`, queued by portal/tasks.py) and
stores them in `Aggregate`; a page reads them with `read_many`, one query for any number.

Staleness: a stored value carries the change clock it was computed for. One computed before
the last change is still served while the worker, already asked, recomputes it: the counts
lag by at most AGGREGATES_REFRESH_DELAY_SECONDS and the time to count. A value that lags by
more than AGGREGATES_MAX_LAG_SECONDS (no worker running, a queue that is down) is computed
in the request instead, and so is one that was never stored (a fresh install, the tests) or
one computed on another day (what counts as current depends on the date).
"""

import datetime
import logging
import threading
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.conf import settings
from django.db import connection, transaction
from django.db.models import JSONField
from django.db.models.expressions import RawSQL
from django.urls import get_script_prefix
from django.utils import timezone, translation

from . import dependencies
from .changes import move_tags, records_changed_at
from .models import Aggregate

logger = logging.getLogger(__name__)

# key → the function that computes its value (JSON-ready: lists, dicts, strings, numbers).
COMPUTERS: dict[str, Callable[[], Any]] = {}


# key → the models whose records it counts (None: not said, any change may change it).
COUNTED: dict[str, tuple | None] = {}


# Keys whose value is a family of parts, each stored under "<key>:<part>" (see below).
FAMILIES: set[str] = set()


def register(key: str, compute: Callable[[], Any], counts: tuple | None = None) -> None:
    """Keep `compute()` under `key`; `counts` names the models whose records it counts."""
    COMPUTERS[key] = compute
    COUNTED[key] = counts


def register_family(
    key: str, compute: Callable[[], dict[str, Any]], counts: tuple | None = None
) -> None:
    """Keep the parts `compute()` returns ({part: value}) each under `part_key(key, part)`,
    so that a page reads the part it shows, not all of them. Counted together, in one pass;
    `key` itself keeps the names of the parts. A part never counted reads as None."""
    register(key, compute, counts)
    FAMILIES.add(key)


def part_key(key: str, part: str) -> str:
    return f"{key}:{part}"


def family_of(key: str) -> str | None:
    """The family `key` is a part of, if any."""
    family = key.rpartition(":")[0]
    return family if family in FAMILIES else None


def tag(key: str) -> str:
    """The dependency tag of a kept count: moved each time it is stored (core/dependencies.py),
    so that a cached page showing it is made again with the new value, and only then."""
    return f"{dependencies.PREFIX}aggregate:{key}"


def clock() -> float:
    return records_changed_at().timestamp()


def store(keys: Iterable[str], *, version: float | None = None) -> dict[str, Aggregate]:
    """Compute `keys` now and store them (one query), for the change clock read before."""
    version = clock() if version is None else version
    computed = []
    for key in keys:
        payload = COMPUTERS[key]()
        if key in FAMILIES:
            # The family's row lists its parts; each part is a row of its own.
            computed += [
                Aggregate(key=part_key(key, part), payload=value, version=version)
                for part, value in payload.items()
            ]
            drop_parts(key, keep=payload)
            payload = sorted(payload)
        computed.append(Aggregate(key=key, payload=payload, version=version))
    for aggregate in computed:
        aggregate.computed_at = timezone.now()
    if computed:
        # An upsert: two processes storing the same key at once both succeed, the last wins.
        Aggregate.objects.bulk_create(
            computed,
            update_conflicts=True,
            unique_fields=["key"],
            update_fields=["payload", "version", "computed_at", "revision"],
        )
        moved = {tag(aggregate.key) for aggregate in computed}
        move_tags(moved)
        if transaction.get_connection().in_atomic_block:
            transaction.on_commit(lambda: move_tags(moved))
    return {aggregate.key: aggregate for aggregate in computed}


def drop_parts(key: str, *, keep) -> None:
    """Delete the stored parts of family `key` no longer in `keep`."""
    stored = Aggregate.objects.filter(key__startswith=part_key(key, ""))
    stored.exclude(key__in=[part_key(key, part) for part in keep]).delete()


def is_current(aggregate: Aggregate, *, now_clock: float, today: datetime.date) -> bool:
    """Whether a stored value may be served: counted for the last change, or lagging behind
    it by less than AGGREGATES_MAX_LAG_SECONDS, and counted today."""
    if timezone.localtime(aggregate.computed_at).date() != today:
        return False
    if aggregate.version >= now_clock:
        return True
    lag = (timezone.now() - aggregate.computed_at).total_seconds()
    return lag < settings.AGGREGATES_MAX_LAG_SECONDS


def read_many(
    keys: Iterable[str], *, now_clock: float | None = None, today: datetime.date | None = None
) -> dict[str, Aggregate]:
    """The stored aggregates of `keys` (one query), each computed now when missing or too old."""
    keys = list(keys)
    # A part is read with its family's row, which says whether the parts are current.
    families = {key: family_of(key) for key in keys}
    wanted = {*keys, *filter(None, families.values())}
    found = read_stored(wanted)
    now_clock = clock() if now_clock is None else now_clock
    today = timezone.localdate() if today is None else today
    outdated = {
        families[key] or key
        for key in keys
        if (families[key] or key) not in found
        or not is_current(found[families[key] or key], now_clock=now_clock, today=today)
    }
    stored = store(sorted(outdated), version=now_clock)
    for family in outdated & set(FAMILIES):
        # Parts no longer counted are gone from the database: not from what was read.
        found = {key: value for key, value in found.items() if family_of(key) != family}
    found.update(stored)
    for key, family in families.items():
        if family and key not in found:
            # A part the last count did not find (no members in that country, say).
            found[key] = Aggregate(
                key=key,
                payload=None,
                version=found[family].version,
                computed_at=found[family].computed_at,
                revision=found[family].revision,
            )
    for aggregate in found.values():
        served(aggregate, now_clock=now_clock)
    return {key: found[key] for key in keys}


# The payloads this process last read, by key: (revision, payload). The database sends a
# payload again only when its revision is not the one held here (`read_stored`). The keys
# are the registered counts and their parts (a few hundred at scale 100, the largest the
# 500-organisation network), so each process ends up holding the table's payloads once.
_HELD: dict[str, tuple[Any, Any]] = {}
_HELD_LOCK = threading.Lock()
HELD_MAX_ENTRIES = 1024


def read_stored(keys: Iterable[str]) -> dict[str, Aggregate]:
    """The stored rows of `keys` by key (one query), each payload sent by the database only
    when this process does not already hold it: that of a revision read before is taken
    from `_HELD`. Some payloads are hundreds of kilobytes of JSON (the directory's cells, the
    network), read on every request and changed only when counted again.

    A held payload is shared by the requests that read it after: like what `derived`
    returns, it is read, never changed."""
    keys = set(keys)
    # One lookup a key: another thread may drop an entry between two.
    held = {key: kept for key in keys if (kept := _HELD.get(key)) is not None}
    stored = Aggregate.objects.filter(key__in=keys)
    if not held:
        rows = list(stored)
    else:
        rows = list(stored.defer("payload").annotate(sent_payload=_payload_unless_held(held)))
        for aggregate in rows:
            kept = held.get(aggregate.key)
            if kept is not None and kept[0] == aggregate.revision:
                aggregate.payload = kept[1]
            else:
                aggregate.payload = aggregate.sent_payload
            del aggregate.sent_payload
    _hold(row for row in rows if row.key not in held or held[row.key][0] != row.revision)
    return {aggregate.key: aggregate for aggregate in rows}


def _payload_unless_held(held: dict[str, tuple[Any, Any]]) -> RawSQL:
    """The payload column, or NULL in the rows of a key and revision held here. Written as
    SQL: the same condition as Case/When costs a third of the query again to build."""
    quote = connection.ops.quote_name
    table = quote(Aggregate._meta.db_table)
    key, revision, payload = (
        f"{table}.{quote(column)}" for column in ("key", "revision", "payload")
    )
    revision_field = Aggregate._meta.get_field("revision")
    conditions, params = [], []
    for held_key, (held_revision, _payload) in held.items():
        conditions.append(f"({key} = %s AND {revision} = %s)")
        params += [held_key, revision_field.get_db_prep_value(held_revision, connection)]
    sql = f"CASE WHEN {' OR '.join(conditions)} THEN NULL ELSE {payload} END"
    return RawSQL(sql, params, output_field=JSONField())


def _hold(aggregates: Iterable[Aggregate]) -> None:
    with _HELD_LOCK:
        for aggregate in aggregates:
            _HELD.pop(aggregate.key, None)
            while len(_HELD) >= HELD_MAX_ENTRIES:
                del _HELD[next(iter(_HELD))]
            _HELD[aggregate.key] = (aggregate.revision, aggregate.payload)


def served(aggregate: Aggregate, *, now_clock: float, lagging: bool | None = None) -> Aggregate:
    """Note that the answer being made shows `aggregate` (core/dependencies.py): it depends on
    the count's tag, and on the records it counts while counts may not lag; one made from a
    count that lags a change is kept only while the count may still lag. `lagging` says
    whether it does, when the caller knows better than the clock."""
    # Counted before the last change: served while the worker counts it again.
    aggregate.is_lagging = aggregate.version < now_clock if lagging is None else lagging
    dependencies.depends_on_counts(tag(aggregate.key))
    if settings.AGGREGATES_MAX_LAG_SECONDS <= 0:
        # Counts may never lag: a page showing them is stale once a record they count changes.
        counted = COUNTED.get(family_of(aggregate.key) or aggregate.key)
        if counted is None:
            dependencies.depends_on_every_change()
        else:
            dependencies.depends_on(*counted)
    if aggregate.is_lagging:
        # Kept until the worker stores the new count, or once the count may no longer lag.
        lag = (timezone.now() - aggregate.computed_at).total_seconds()
        dependencies.expires_within(settings.AGGREGATES_MAX_LAG_SECONDS - lag)
    return aggregate


def read(key: str) -> Aggregate:
    return read_many([key])[key]


def refresh(*, changed_at: float | None = None) -> list[str]:
    """Recompute every registered aggregate stored for a clock older than `changed_at` (all
    of them when None); the keys recomputed. Many requests queued for one change cost one
    recount: those after the first find the values already current."""
    version = clock()
    stored = dict(Aggregate.objects.values_list("key", "version"))
    done = [
        key
        for key in COMPUTERS
        if changed_at is None or stored.get(key, float("-inf")) < changed_at
    ]
    store(done, version=version)
    return done


# What `derived` made: by purpose, count, language, script prefix and key, the revision it was
# made from and the value. One entry each: a new revision replaces the value made from the
# one before. The oldest entries go first past DERIVED_MAX_ENTRIES.
_DERIVED: dict[tuple, tuple[Any, Any]] = {}
_DERIVED_LOCK = threading.Lock()
DERIVED_MAX_ENTRIES = 256

T = TypeVar("T")


def derived(aggregate: Aggregate, purpose: str, build: Callable[[Any], T], *key: Any) -> T:
    """`build(aggregate.payload)`, made once per process for each stored revision.

    A page turns a kept count into a chart, a table or a graph drawing the same way each time
    it reads the same payload: that work is done once per revision (a new one with each
    count stored), language, script prefix and `key` (anything else `build` reads, such as
    colours kept elsewhere), not per request. The database is still read on every request,
    so nothing is served that another process has since counted again. What `build` returns
    is shared by the requests that follow: it must not be changed by them.
    """
    slot = (
        purpose,
        aggregate.key,
        translation.get_language(),
        get_script_prefix(),
        *key,
    )
    made = _DERIVED.get(slot)
    if made is not None and made[0] == aggregate.revision:
        return made[1]
    value = build(aggregate.payload)
    with _DERIVED_LOCK:
        _DERIVED.pop(slot, None)
        while len(_DERIVED) >= DERIVED_MAX_ENTRIES:
            del _DERIVED[next(iter(_DERIVED))]
        _DERIVED[slot] = (aggregate.revision, value)
    return value
