"""Pages whose count stops at a cap: counting every row of a large table costs as much as
reading it, and grows with it.

Up to COUNT_CAP rows the count is exact. Past it, lists say "more than 10,000", the pages
beyond the cap are still served, and whether there is a next page is found by reading one
row more than the page holds. The number of queries stays two: the capped count and the page.
"""

from functools import cached_property

from django.core.paginator import EmptyPage, Page, Paginator
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

COUNT_CAP = 10_000
# The last page any list can have: beyond it the offset overflows the database's integers
# (PostgreSQL's bigint), so such a page is simply empty.
MAX_PAGE = 10**9


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

    @cached_property
    def count(self) -> int:
        """The number of rows, or count_cap + 1 when there are more than count_cap."""
        if isinstance(self.object_list, QuerySet):
            return self.object_list[: self.count_cap + 1].count()
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
        if not self.count_is_capped:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        if not rows:
            raise EmptyPage(_("That page contains no results"))
        return CappedPage(rows[: self.per_page], number, self, more=len(rows) > self.per_page)
