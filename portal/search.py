"""Site search across conferences, sessions, people, organisations and public agreements.

On PostgreSQL it uses full-text search with the "english" configuration (stemming, so
"parks" finds "park"; not accent-insensitive, which would need the unaccent extension), on
each table's stored, GIN-indexed `search_document` (core/db/search_document.py).
Elsewhere (SQLite in development and tests) every word of the query must occur, case-insensitively,
in one of the same fields. Both backends read the fields from SEARCH_TYPES and run one query per
type, whatever the number of matches.
"""

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import reduce
from operator import and_, or_
from typing import Any

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import (
    Case,
    Count,
    Func,
    IntegerField,
    Model,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
    Window,
)
from django.db.models.functions import NullIf
from django.utils.functional import Promise
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from agreements.models import Agreement
from conferences.models import Conference, Session
from core.dates import YEAR, date_text
from core.db.search_document import CONFIG, search_document
from members.models import Organisation, Person

MAX_QUERY_LENGTH = 200
MAX_WORDS = 12
RESULTS_PER_TYPE = 10
SNIPPET_LENGTH = 220
SEARCH_CONFIG = CONFIG
SNIPPET_SEPARATOR = " · "

# Private-use characters mark the highlights PostgreSQL returns; the text is escaped first
# and they become <mark> afterwards, so no stored text is ever treated as markup.
MARK_START, MARK_END = "\ue000", "\ue001"
# Control, surrogate, private-use and unassigned characters (PostgreSQL refuses NUL).
UNWANTED = {"Cc", "Cs", "Co", "Cn"}


@dataclass(frozen=True)
class SearchType:
    key: str
    label: Promise
    queryset: Callable[[], QuerySet]
    title_field: str
    other_fields: tuple[str, ...]
    snippet_fields: tuple[str, ...]
    describe: Callable[[Any], str]

    @property
    def fields(self) -> tuple[str, ...]:
        return (self.title_field, *self.other_fields)


def _place(city: str, country) -> str:
    return ", ".join(part for part in (city, country.name if country else "") if part)


def _describe_conference(conference: Conference) -> str:
    when = date_text(conference.start_date, YEAR)
    place = _place(conference.city, conference.country)
    return SNIPPET_SEPARATOR.join(part for part in (place, when) if part)


def _describe_session(session: Session) -> str:
    return SNIPPET_SEPARATOR.join(
        [session.get_kind_display(), session.conference.title, date_text(session.day)]
    )


def _describe_person(person: Person) -> str:
    return person.affiliation.name if person.affiliation else ""


def _describe_organisation(organisation: Organisation) -> str:
    place = _place(organisation.city, organisation.country)
    return SNIPPET_SEPARATOR.join(part for part in (organisation.get_kind_display(), place) if part)


def _describe_agreement(agreement: Agreement) -> str:
    parts = [agreement.get_kind_display()]
    if agreement.signed_on:
        parts.append(date_text(agreement.signed_on))
    return SNIPPET_SEPARATOR.join(parts)


SEARCH_TYPES: tuple[SearchType, ...] = (
    SearchType(
        key="conferences",
        label=_("Conferences"),
        queryset=lambda: Conference.objects.all(),
        title_field="title",
        other_fields=("theme", "description", "city"),
        snippet_fields=("theme", "description"),
        describe=_describe_conference,
    ),
    SearchType(
        key="sessions",
        label=_("Sessions"),
        queryset=lambda: Session.objects.select_related("conference"),
        title_field="title",
        other_fields=("description",),
        snippet_fields=("description",),
        describe=_describe_session,
    ),
    SearchType(
        key="people",
        label=_("People"),
        queryset=lambda: Person.objects.select_related("affiliation"),
        title_field="name",
        other_fields=("job_title", "bio"),
        snippet_fields=("job_title", "bio"),
        describe=_describe_person,
    ),
    SearchType(
        key="organisations",
        label=_("Organisations"),
        queryset=lambda: Organisation.objects.all(),
        title_field="name",
        other_fields=("short_name", "description", "city"),
        snippet_fields=("short_name", "description"),
        describe=_describe_organisation,
    ),
    SearchType(
        key="agreements",
        label=_("Agreements"),
        queryset=lambda: Agreement.objects.public(),
        title_field="title",
        other_fields=("summary",),
        snippet_fields=("summary",),
        describe=_describe_agreement,
    ),
)


@dataclass
class Hit:
    url: str
    title: SafeString
    description: str
    snippet: SafeString


@dataclass
class ResultGroup:
    key: str
    label: Promise
    count: int
    hits: list[Hit]


def clean_query(raw: str) -> str:
    """Drop control and private-use characters, collapse spaces, cut to MAX_QUERY_LENGTH."""
    text = "".join(" " if unicodedata.category(char) in UNWANTED else char for char in raw)
    return " ".join(text.split())[:MAX_QUERY_LENGTH].strip()


def query_words(query: str) -> list[str]:
    words = dict.fromkeys(word.lower() for word in re.findall(r"\w+", query))
    return list(words)[:MAX_WORDS]


def search(query: str) -> list[ResultGroup]:
    """The groups with at least one hit, in the order of SEARCH_TYPES."""
    if connection.vendor == "postgresql":
        groups = [_search_postgresql(search_type, query) for search_type in SEARCH_TYPES]
    else:
        words = query_words(query)
        if not words:
            return []
        groups = [_search_words(search_type, words) for search_type in SEARCH_TYPES]
    return [group for group in groups if group.count]


def _total() -> Window:
    # The number of matches before the slice, in the same query as the first page.
    return Window(Count("pk"))


def _search_postgresql(search_type: SearchType, query: str) -> ResultGroup:
    search_query = SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)
    queryset = search_type.queryset()
    vector = search_document(queryset.model._meta.db_table)
    snippet_text = Func(
        Value(SNIPPET_SEPARATOR),
        *(NullIf(field, Value("")) for field in search_type.snippet_fields),
        function="CONCAT_WS",
        output_field=TextField(),
    )
    marks = {"start_sel": MARK_START, "stop_sel": MARK_END, "config": SEARCH_CONFIG}
    rows = (
        queryset.alias(search_document=vector)
        .filter(search_document=search_query)
        .annotate(
            rank=SearchRank(vector, search_query),
            total=_total(),
            title_headline=SearchHeadline(
                search_type.title_field, search_query, highlight_all=True, **marks
            ),
            snippet_headline=SearchHeadline(
                snippet_text,
                search_query,
                max_words=24,
                min_words=10,
                max_fragments=2,
                fragment_delimiter=" … ",
                **marks,
            ),
        )
        .order_by("-rank", search_type.title_field, "pk")[:RESULTS_PER_TYPE]
    )
    rows = list(rows)
    hits = [
        Hit(
            url=row.get_absolute_url(),
            title=_marked_to_html(row.title_headline),
            description=search_type.describe(row),
            snippet=_marked_to_html(row.snippet_headline or ""),
        )
        for row in rows
    ]
    return ResultGroup(search_type.key, search_type.label, rows[0].total if rows else 0, hits)


def _search_words(search_type: SearchType, words: list[str]) -> ResultGroup:
    def any_field(word: str, fields: tuple[str, ...]) -> Q:
        return reduce(or_, (Q(**{f"{field}__icontains": word}) for field in fields))

    in_title = reduce(and_, (any_field(word, (search_type.title_field,)) for word in words))
    rows = list(
        search_type.queryset()
        .filter(*(any_field(word, search_type.fields) for word in words))
        .annotate(
            total=_total(),
            title_match=Case(When(in_title, then=1), default=0, output_field=IntegerField()),
        )
        .order_by("-title_match", search_type.title_field, "pk")[:RESULTS_PER_TYPE]
    )
    hits = [
        Hit(
            url=row.get_absolute_url(),
            title=highlight(getattr(row, search_type.title_field), words),
            description=search_type.describe(row),
            snippet=highlight(_excerpt(row, search_type.snippet_fields, words), words),
        )
        for row in rows
    ]
    return ResultGroup(search_type.key, search_type.label, rows[0].total if rows else 0, hits)


def _marked_to_html(text: str) -> SafeString:
    html = escape(text).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")
    return mark_safe(html)  # escaped above: the only markup is our own <mark>


def _excerpt(row: Model, fields: tuple[str, ...], words: list[str]) -> str:
    """The snippet text, starting shortly before the first matched word when that is far in."""
    text = SNIPPET_SEPARATOR.join(value for field in fields if (value := getattr(row, field)))
    match = _pattern(words).search(text)
    start = 0
    if match and match.start() > SNIPPET_LENGTH // 2:
        start = text.rfind(" ", 0, match.start() - 40) + 1
    excerpt = Truncator(text[start:]).chars(SNIPPET_LENGTH)
    return f"… {excerpt}" if start else excerpt


def _pattern(words: list[str]) -> re.Pattern:
    alternatives = sorted(words, key=len, reverse=True)
    return re.compile("|".join(re.escape(word) for word in alternatives), re.IGNORECASE)


def highlight(text: str, words: list[str]) -> SafeString:
    """`text` HTML-escaped, with every occurrence of the words wrapped in <mark>."""
    if not text or not words:
        return escape(text or "")
    parts, position = [], 0
    for match in _pattern(words).finditer(text):
        parts += [
            escape(text[position : match.start()]),
            "<mark>",
            escape(match.group()),
            "</mark>",
        ]
        position = match.end()
    parts.append(escape(text[position:]))
    return mark_safe("".join(parts))  # every piece of the text is escaped


class SearchView(TemplateView):
    template_name = "search.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = clean_query(self.request.GET.get("q", ""))
        groups = search(query) if query else []
        context.update(
            search_query=query,
            groups=groups,
            total=sum(group.count for group in groups),
            results_per_type=RESULTS_PER_TYPE,
            max_query_length=MAX_QUERY_LENGTH,
        )
        return context
