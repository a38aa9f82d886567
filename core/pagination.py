"""Pages whose count stops at a cap: counting every row of a large table costs as much as
reading it, and grows with it.

Up to COUNT_CAP rows the count is exact. Past it, lists say "more than 10,000", the pages
beyond the cap are still served, and whether there is a next page is found by reading one
row more than the page holds. The number of queries stays two: the capped count and the page.

A deep page of a large table costs the rows skipped by its offset. A paginator with
`deferred_offset` set reads, from that offset on, the page's keys alone in a subquery (straight
off an index that holds the order) and joins the page's rows to them: the rows skipped are
index entries, not rows with their joins. Still one query for the page.
"""

from collections.abc import Callable
from functools import cached_property

from django.core.paginator import EmptyPage, Page, Paginator
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

COUNT_CAP = 10_000
# The last page any list can have: beyond it the offset overflows the database's integers
# (PostgreSQL's bigint), so such a page is simply empty.
MAX_PAGE = 10**9


def counted_rows(queryset: QuerySet) -> QuerySet:
    """`queryset` as its capped count needs it: its keys, in no order.

    A count with a cap is a count of a subquery (`LIMIT cap + 1`), which keeps what the
    queryset selects: each row's annotations (a member's current membership, say, two
    subqueries a row) would be worked out for up to ten thousand rows that are only counted.
    Which rows fall under the cap does not change how many there are, so the order goes too.
    A queryset whose rows depend on what it selects or on its order (a union, a slice, a
    grouping, rows of values, extra columns, DISTINCT over some of its columns or over its
    annotations) is counted as it is."""
    query = queryset.query
    if (
        query.combinator
        or query.is_sliced
        or query.group_by is not None
        or query.values_select
        or query.extra
        or query.distinct_fields
        or (query.distinct and query.annotations)
    ):
        return queryset
    return queryset.order_by().values("pk")


class CappedPage(Page):
    def __init__(self, object_list, number, paginator, *, more: bool):
        super().__init__(object_list, number, paginator)
        self.more = more

    def has_next(self) -> bool:
        return self.more

    def end_index(self) -> int:
        return self.start_index() + len(self.object_list) - 1


class CappedPaginator(Paginator):
    count_cap = COUNT_CAP
    # From this offset on, pages are read through a subquery of their keys (None: never).
    deferred_offset: int | None = None

    def __init__(self, object_list, per_page, *args, read: Callable | None = None, **kwargs):
        """`read`, when given, turns the queryset of a page's rows into what the page holds
        (`values()` of some columns and joins, say): the count stays the list's own."""
        super().__init__(object_list, per_page, *args, **kwargs)
        self.read = read

    def rows(self, bottom: int, top: int):
        """The rows from bottom to top, in the list's order."""
        object_list = self.object_list
        if (
            self.deferred_offset is not None
            and bottom >= self.deferred_offset
            and isinstance(object_list, QuerySet)
            and not object_list.query.combinator
            and not object_list.query.distinct
        ):
            keys = object_list.values("pk")[bottom:top]
            rows = object_list.filter(pk__in=keys)
        else:
            rows = object_list[bottom:top]
        return rows if self.read is None else self.read(rows)

    @cached_property
    def count(self) -> int:
        """The number of rows, or count_cap + 1 when there are more than count_cap."""
        if isinstance(self.object_list, QuerySet):
            return counted_rows(self.object_list)[: self.count_cap + 1].count()
        return super().count

    @property
    def count_is_capped(self) -> bool:
        return self.count > self.count_cap

    @property
    def shown_count(self) -> int:
        """The count to show: exact, or the cap ("more than 10,000")."""
        return min(self.count, self.count_cap)

    def validate_number(self, number) -> int:
        try:
            return super().validate_number(number)
        except EmptyPage:
            # Past the counted pages: served if rows are there (page() checks).
            if not self.count_is_capped or not 1 <= int(number) <= MAX_PAGE:
                raise
            return int(number)

    def page(self, number) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        if not self.count_is_capped:
            top = bottom + self.per_page
            if top + self.orphans >= self.count:
                top = self.count
            return self._get_page(self.rows(bottom, top), number, self)
        rows = list(self.rows(bottom, bottom + self.per_page + 1))
        if not rows:
            raise EmptyPage(_("That page contains no results"))
        return CappedPage(rows[: self.per_page], number, self, more=len(rows) > self.per_page)


class DeepPaginator(CappedPaginator):
    """For lists whose deep pages are asked for (the agreements): read through their keys."""

    deferred_offset = 1


class KeptTotalMixin:
    """For a list view whose filterset may know its total from the counts the worker keeps
    (`filterset.kept_total()`, None when it does not): the paginator then takes it, exact
    however many, and runs no count query."""

    def get_paginator(self, queryset, per_page, **kwargs):
        paginator = super().get_paginator(queryset, per_page, **kwargs)
        total = self.filterset.kept_total()
        if total is not None:
            paginator.count = total
            paginator.count_cap = max(paginator.count_cap, total)
        return paginator
