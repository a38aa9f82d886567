from django.db import models
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.db.models.sql import Query
from django.db.models.sql.datastructures import Join


def joins_many(query: Query) -> bool:
    """Whether the query joins a to-many relation, so that a row can repeat."""
    return any(
        getattr(join.join_field, "one_to_many", False) or join.join_field.many_to_many
        for join in query.alias_map.values()
        if isinstance(join, Join)
    )


def count_of(queryset: models.QuerySet, related: str) -> Coalesce:
    """For an annotation: how many rows of `queryset` point at the outer row through `related`.

    A correlated subquery per count, so that several counts never multiply each other's joins.
    Rows are counted as they come unless `queryset` joins a to-many relation (DISTINCT costs
    a sort of every row counted).
    """
    filtered = queryset.filter(**{related: OuterRef("pk")}).order_by()
    counted = (
        filtered.values(related)
        .annotate(count=Count("pk", distinct=joins_many(filtered.query)))
        .values("count")
    )
    return Coalesce(Subquery(counted, output_field=models.IntegerField()), 0)
