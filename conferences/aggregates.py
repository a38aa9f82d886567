"""What the conference list reads of the whole table, kept by the worker
(core/aggregates.py): the years and countries its filters offer (a DISTINCT over every
published conference) and how many conferences are past (a count of nearly all of them),
too slow to read per request once there are thousands; with them, the divisions and topics
its filters offer, so that drawing the form reads neither table."""

from dataclasses import dataclass

from django.db.models.functions import ExtractYear

from core.aggregates import read, register
from members.models import Division, Topic

from .models import Conference, Session

LIST_FACTS_KEY = "conferences:list-facts"


@dataclass
class ListFacts:
    years: list[int]
    countries: list[str]
    past_count: int
    is_lagging: bool  # counted before the last change
    # (slug, name) of the divisions and of the topics in use, in the filters' order; None in
    # a count stored before they were kept (the form then reads them itself).
    divisions: list[tuple[str, str]] | None = None
    topics: list[tuple[str, str]] | None = None


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
    # Imported here: the filters read this module's facts. Their own querysets say which
    # divisions and topics are offered, in their order.
    from .filters import ConferenceFilter

    filters = ConferenceFilter.base_filters
    return {
        "years": sorted(years, reverse=True),
        "countries": sorted(codes),
        "past": Conference.objects.published().past().count(),
        "divisions": list(filters["division"].queryset.values_list("slug", "name")),
        "topics": list(filters["topic"].queryset.values_list("slug", "name")),
    }


def kept_list_facts() -> ListFacts:
    """As the worker last counted them (one query): a change may show a minute late."""
    aggregate = read(LIST_FACTS_KEY)
    payload = aggregate.payload
    return ListFacts(
        payload["years"],
        payload["countries"],
        payload["past"],
        aggregate.is_lagging,
        payload.get("divisions"),
        payload.get("topics"),
    )


register(LIST_FACTS_KEY, list_facts, counts=(Conference, Session, Division, Topic))
