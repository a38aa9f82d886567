"""Dates written one way across the site, as precisely as they are known.

A date known to the day reads "16 September 2025", to the month "October 2026", to the year
"2027"; a range shares what its ends share ("15–19 September 2025"). Pages use the `when`
template tag (core/templatetags/site.py); feeds, calendars and meta descriptions call these.
"""

import datetime
from functools import lru_cache

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

DAY, MONTH, YEAR = "day", "month", "year"

# A date is written the same way each time in a language: lists write dozens per page, each
# about 15 µs in Django's date formatting (the format parsed, the month named through
# gettext). The texts are kept per date, precision and language, the most recent first.
WRITTEN_DATES_KEPT = 4096


def date_text(value: datetime.date, precision: str = DAY, *, weekday: bool = False) -> str:
    return _date_text(value, precision, weekday, get_language())


def date_range_text(start: datetime.date, end: datetime.date, precision: str = DAY) -> str:
    """ "15–19 September 2025", "October 2026" or "2027": what both ends share, once."""
    return _date_range_text(start, end, precision, get_language())


@receiver(setting_changed)
def _forget_written_dates(**kwargs) -> None:
    # Formats and translations can change with the settings (in tests).
    _date_text.cache_clear()
    _date_range_text.cache_clear()


@lru_cache(maxsize=WRITTEN_DATES_KEPT)
def _date_text(value: datetime.date, precision: str, weekday: bool, language: str | None) -> str:
    if precision == YEAR:
        return str(value.year)
    if precision == MONTH:
        return date_format(value, "F Y")
    return date_format(value, "l j F Y" if weekday else "j F Y")


@lru_cache(maxsize=WRITTEN_DATES_KEPT)
def _date_range_text(
    start: datetime.date, end: datetime.date, precision: str, language: str | None
) -> str:
    if precision == YEAR:
        if start.year == end.year:
            return str(start.year)
        return _("%(start)s–%(end)s") % {"start": start.year, "end": end.year}
    if precision == MONTH:
        if (start.year, start.month) == (end.year, end.month):
            return date_format(start, "F Y")
        first = date_format(start, "F" if start.year == end.year else "F Y")
        return _("%(start)s – %(end)s") % {"start": first, "end": date_format(end, "F Y")}
    if start == end:
        return date_format(start, "j F Y")
    if (start.year, start.month) == (end.year, end.month):
        return _("%(start)s–%(end)s") % {"start": start.day, "end": date_format(end, "j F Y")}
    first = date_format(start, "j F" if start.year == end.year else "j F Y")
    return _("%(start)s – %(end)s") % {"start": first, "end": date_format(end, "j F Y")}


def iso_date(value: datetime.date, precision: str = DAY) -> str:
    """ISO 8601 cut to what is known: "2025-09-15", "2026-10" or "2027" (valid in HTML's
    `<time datetime>` and in schema.org dates alike)."""
    if precision == YEAR:
        return f"{value.year:04d}"
    if precision == MONTH:
        return f"{value.year:04d}-{value.month:02d}"
    return value.isoformat()
