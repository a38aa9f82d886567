"""What the conference list's filters offer, kept by the worker (core/aggregates.py): the
years and countries of the published conferences are a DISTINCT over the whole table, too
slow to read per request once there are thousands."""

from django.db.models.functions import ExtractYear

from core.aggregates import read, register

from .models import Conference

YEARS_AND_COUNTRIES_KEY = "conferences:years-and-countries"


def years_and_countries() -> dict[str, list]:
    """{"years": newest first, "countries": codes in code order}, of published conferences."""
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
    return {"years": sorted(years, reverse=True), "countries": sorted(codes)}


def kept_years_and_countries() -> tuple[list[int], list[str], bool]:
    """As the worker last counted them (one query): a new year may show a minute late; the
    last value says so (counted before the last change)."""
    aggregate = read(YEARS_AND_COUNTRIES_KEY)
    return aggregate.payload["years"], aggregate.payload["countries"], aggregate.is_lagging


register(YEARS_AND_COUNTRIES_KEY, years_and_countries)
