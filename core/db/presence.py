"""Prefetches skipped for the records known to have nothing to fetch.

A record's page prefetches every relation it may show, one query each, and Django builds a
queryset, compiles it and runs it even when the relation is empty: about 1.5 ms a relation.
Most organisations host no conference and receive no visit, so their page ran two queries
that could only come back empty.

`with_presence` asks, in the record's own query, whether each of these relations holds any
row at all (an EXISTS over the bare relation, whatever the prefetch filters out: it can only
say "maybe" for a relation that turns out empty once filtered, never "no" for one that is
not). `prefetch_present` then runs each prefetch for the records where the relation holds
rows, and gives the others an empty list under the prefetch's `to_attr`, as the prefetch
would have.
"""

from collections.abc import Callable, Iterable, Sequence

from django.db.models import Exists, Model, OuterRef, Prefetch, QuerySet, prefetch_related_objects

# Prefetches are made anew for each use: Django keeps state on a Prefetch while it runs.
Prefetches = Callable[[], Sequence[Prefetch]]


def presence_flag(prefetch: Prefetch) -> str:
    return f"_has_{prefetch.to_attr}"


def with_presence(queryset: QuerySet, prefetches: Prefetches) -> QuerySet:
    """`queryset` telling, for each of `prefetches`, whether its relation holds any row."""
    model = queryset.model
    flags = {}
    for prefetch in prefetches():
        if not prefetch.to_attr or "__" in prefetch.prefetch_through:
            raise ValueError(f"{prefetch.prefetch_through}: one relation, with a to_attr")
        related = model._base_manager.filter(
            pk=OuterRef("pk"), **{f"{prefetch.prefetch_through}__isnull": False}
        )
        flags[presence_flag(prefetch)] = Exists(related)
    return queryset.annotate(**flags)


def prefetch_present(instances: Iterable[Model], prefetches: Prefetches) -> None:
    """Run `prefetches` for the instances whose relation holds rows (read by
    `with_presence`); an empty list for the others. An instance read without the flags has
    every prefetch run."""
    instances = list(instances)
    for prefetch in prefetches():
        flag = presence_flag(prefetch)
        present = []
        for instance in instances:
            if getattr(instance, flag, True):
                present.append(instance)
            else:
                setattr(instance, prefetch.to_attr, [])
        if present:
            prefetch_related_objects(present, prefetch)
