"""Filters that say when and what a conference is, the same way on every page and feed."""

import datetime
from functools import lru_cache

from django import template
from django.contrib.humanize.templatetags.humanize import ordinal
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from conferences.models import Conference, Session
from core.countries import country_name
from core.dates import date_range_text
from core.templatetags.site import when

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


@register.simple_tag
def conference_card(conference: Conference) -> SafeString:
    """A conference in a grid of cards (includes/_conference_card.html), written in Python:
    lists draw dozens, and a template per card and two more inside cost most of the list.
    Needs the conference's division selected (Conference.objects.for_list())."""
    parts = ['<li class="card">\n']
    label = edition_label(conference)
    if label not in conference.title:
        parts.append(f'<p class="card__meta">{escape(label)}</p>\n')
    parts.append(
        f'<h3><a class="card__link" href="{escape(conference.get_absolute_url())}">'
        f"{escape(conference.title)}</a></h3>\n"
        f'<p class="card__meta">{when_where(conference)}</p>\n'
    )
    if conference.theme:
        theme = Truncator(conference.theme).words(25, truncate=" …")
        parts.append(f"<p>{escape(theme)}</p>\n")
    state = conference.state
    badge = state.badge
    if conference.division or badge:
        parts.append('<ul class="tags">\n')
        if badge:
            variant = "badge--muted" if state.badge_is_muted else "badge--accent"
            parts.append(f'<li><span class="badge {variant}">{escape(badge)}</span></li>\n')
        if conference.division:
            division = escape(conference.division.name)
            parts.append(f'<li><span class="badge">{division}</span></li>\n')
        parts.append("</ul>\n")
    if state.offers_registration:
        parts.append(f'<p class="card__action">{register_link(conference)}</p>\n')
    parts.append("</li>\n")
    return mark_safe("".join(parts))  # every value escaped above


def when_where(conference: Conference) -> str:
    """As includes/_conference_when_where.html: "15–19 September 2025 · Beijing, China"."""
    text = when(conference.start_date, conference.end_date, conference.date_precision)
    if conference.city or conference.country:
        city = f"{escape(conference.city)}, " if conference.city else ""
        text = f"{text} · {city}{escape(country_name(conference.country))}"
    return text


def register_link(conference: Conference) -> str:
    """As includes/_conference_register.html, for a conference that offers registration."""
    title = _("for %(title)s") % {"title": escape(conference.title)}
    return (
        f'<a class="button button--register" href="{escape(conference.registration_url)}" '
        f'rel="external">{escape(_("Register"))}<span class="visually-hidden"> {title}</span></a>'
    )
