"""Filters that say when and what a conference is, the same way on every page and feed."""

import datetime
from functools import lru_cache

from django import template
from django.contrib.humanize.templatetags.humanize import ordinal
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from conferences.models import Conference, Session
from core.dates import date_range_text

register = template.Library()
register.filter("ordinal", ordinal)


@register.filter
def date_range(conference: Conference) -> str:
    """ "15–19 September 2025", "October 2026" or "2027", as precisely as the dates are known:
    text for feeds and meta descriptions; pages write it with `{% when %}` (core/dates.py)."""
    return date_range_text(conference.start_date, conference.end_date, conference.date_precision)


@lru_cache(maxsize=1024)
def _ordinal(number: int, language: str | None) -> str:
    """humanize's ordinal, built once per number and language (it asks gettext for the
    language's ten endings on every call)."""
    return ordinal(number)


@register.filter
def edition_label(conference: Conference) -> str:
    """ "42nd World Conference"; the kind alone when the edition is not numbered."""
    if not conference.edition:
        return conference.get_kind_display()
    number = _ordinal(conference.edition, get_language())
    if conference.kind == Conference.Kind.WORLD:
        return _("%(ordinal)s World Conference") % {"ordinal": number}
    if conference.kind == Conference.Kind.DIVISION and conference.division:
        return _("%(ordinal)s %(division)s Conference") % {
            "ordinal": number,
            "division": conference.division,
        }
    return _("%(ordinal)s edition") % {"ordinal": number}


@register.filter
def utc_offset(conference: Conference) -> str:
    """The zone's offset during the conference, e.g. "UTC+08:00"."""
    noon = datetime.datetime.combine(conference.start_date, datetime.time(12), conference.zone)
    offset = noon.utcoffset() or datetime.timedelta()
    minutes = int(offset.total_seconds()) // 60
    sign = "+" if minutes >= 0 else "−"
    hours, minutes = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{minutes:02d}"


@register.filter
def time_range(session: Session) -> str:
    """ "09:00–10:30", "09:00", or "All day" for an item without times."""
    if session.start_time is None:
        return _("All day")
    start = session.start_time.strftime("%H:%M")
    if session.end_time is None:
        return start
    return _("%(start)s–%(end)s") % {"start": start, "end": session.end_time.strftime("%H:%M")}
