"""What the conference list reads of the whole table, kept by the worker
(core/aggregates.py): the years and countries its filters offer (a DISTINCT over every
published conference) and how many conferences are past (a count of nearly all of them),
too slow to read per request once there are thousands."""

from dataclasses import dataclass

from django.db.models.functions import ExtractYear

from core.aggregates import read, register

from .models import Conference

LIST_FACTS_KEY = "conferences:list-facts"


@dataclass
class ListFacts:
    years: list[int]
    countries: list[str]
    past_count: int
    is_lagging: bool  # counted before the last change


def list_facts() -> dict:
    """{"years": newest first, "countries": codes in code order, "past": how many ended
    before today}, of published conferences. Kept for a day at most (core/aggregates.py):
    which are past changes only with the date."""
    pairs = (
        Conference.objects.published()
        .order_by()
        .values_list(ExtractYear("start_date"), "country")
        .distinct()
    )
    years, codes = set(), set()
    for year, code in pairs:
        years.add(year)
        codes.add(code)
    return {
        "years": sorted(years, reverse=True),
        "countries": sorted(codes),
        "past": Conference.objects.published().past().count(),
    }


def kept_list_facts() -> ListFacts:
    """As the worker last counted them (one query): a change may show a minute late."""
    aggregate = read(LIST_FACTS_KEY)
    payload = aggregate.payload
    return ListFacts(payload["years"], payload["countries"], payload["past"], aggregate.is_lagging)


register(LIST_FACTS_KEY, list_facts, counts=(Conference,))
