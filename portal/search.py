"""Site search across the pages staff write, topics, divisions, published conferences and
sessions, people, organisations and public agreements.

On PostgreSQL it uses full-text search with the "english" configuration (stemming, so
"parks" finds "park"; not accent-insensitive, which would need the unaccent extension), on
each table's stored, GIN-indexed `search_document` (core/db/search_document.py); the two small
vocabularies, topics and divisions, have no stored document and are read as they are.
Each type's matches are counted up to COUNT_LIMIT; past it the page says "100+" and, on
PostgreSQL, shows the best of the first matches found, so that a common word ("energy" tags
thousands of agreements) costs no more than a rare one.
Elsewhere (SQLite in development and tests) every word of the query must occur, case-insensitively,
in one of the same fields. Both backends read the fields from SEARCH_TYPES and run one query per
type, whatever the number of matches.

A record tagged with a topic is found by the topic's name too: "energy" finds the
organisations tagged "Clean energy". On PostgreSQL the whole query must match the record's own
text or one of its topics; on SQLite each word may match either.
"""

import functools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import reduce
from operator import and_, or_

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
    SearchVectorField,
)
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Expression,
    F,
    Func,
    IntegerField,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
    Window,
)
from django.db.models.functions import NullIf
from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from agreements.models import Agreement
from conferences.models import Conference, Session
from core.countries import country_name
from core.dates import YEAR, date_text
from core.db.prepared import PreparedRows
from core.db.search_document import COLUMN as DOCUMENT_COLUMN
from core.db.search_document import CONFIG, search_document
from core.routes import fast_reverse
from members.models import Division, Organisation, Person, Topic

from .models import Page

MAX_QUERY_LENGTH = 200
MAX_WORDS = 12
RESULTS_PER_TYPE = 10
# Matches are counted exactly up to this many per type; past it the page says "100+".
COUNT_LIMIT = 100
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
    # The columns a hit reads besides its title and snippet (read as `.values()`), and
    # what it writes from them: its address and what the record is.
    columns: tuple[str, ...]
    url: Callable[[dict], str]
    describe: Callable[[dict], str] = lambda row: ""
    # Whether the table has a stored document (PostgreSQL); the vocabularies have none.
    stored_document: bool = True
    # The many-to-many field of topics whose names find the record too.
    tags: str | None = None
    # Whether the title's own vector has a GIN index (AddTitleSearchIndex): the records
    # matching by their title are then candidates first, however many match elsewhere.
    title_indexed: bool = False

    @property
    def fields(self) -> tuple[str, ...]:
        return (self.title_field, *self.other_fields)


@functools.cache
def _choice_labels(model: type[Model], field_name: str) -> dict:
    return dict(model._meta.get_field(field_name).flatchoices)


def _display(model: type[Model], field_name: str, value) -> str:
    """What `get_<field_name>_display()` says of `value`, without building the choices each time."""
    return str(_choice_labels(model, field_name).get(value, value))


def _place(city: str, country: str) -> str:
    return ", ".join(part for part in (city, country_name(country) if country else "") if part)


def _describe_conference(row: dict) -> str:
    when = date_text(row["start_date"], YEAR)
    place = _place(row["city"], row["country"])
    return SNIPPET_SEPARATOR.join(part for part in (place, when) if part)


def _describe_session(row: dict) -> str:
    return SNIPPET_SEPARATOR.join(
        [_display(Session, "kind", row["kind"]), row["conference__title"], date_text(row["day"])]
    )


def _describe_person(row: dict) -> str:
    return row["affiliation__name"] or ""


def _describe_organisation(row: dict) -> str:
    place = _place(row["city"], row["country"])
    kind = _display(Organisation, "kind", row["kind"])
    return SNIPPET_SEPARATOR.join(part for part in (kind, place) if part)


def _describe_agreement(row: dict) -> str:
    parts = [_display(Agreement, "kind", row["kind"])]
    if row["signed_on"]:
        parts.append(date_text(row["signed_on"]))
    return SNIPPET_SEPARATOR.join(parts)


def _by_slug(view_name: str) -> Callable[[dict], str]:
    """The address of a record reached by its slug, as its `get_absolute_url()` writes it."""
    return lambda row: fast_reverse(view_name, slug=row["slug"])


def _session_url(row: dict) -> str:
    # As Session.get_absolute_url.
    return fast_reverse("conferences:session-detail", slug=row["conference__slug"], pk=row["pk"])


SEARCH_TYPES: tuple[SearchType, ...] = (
    SearchType(
        key="pages",
        label=_("Pages"),
        queryset=lambda: Page.objects.published(),
        title_field="title",
        other_fields=("summary", "body"),
        snippet_fields=("summary",),
        columns=("slug",),
        url=_by_slug("page-detail"),
    ),
    SearchType(
        key="topics",
        label=_("Topics"),
        queryset=lambda: Topic.objects.all(),
        title_field="name",
        other_fields=("description",),
        snippet_fields=("description",),
        columns=("pk", "slug"),
        url=_by_slug("members:topic-detail"),
        stored_document=False,
    ),
    SearchType(
        key="divisions",
        label=_("Divisions"),
        queryset=lambda: Division.objects.all(),
        title_field="name",
        other_fields=("description",),
        snippet_fields=("description",),
        columns=("slug",),
        url=_by_slug("members:division-detail"),
        stored_document=False,
    ),
    SearchType(
        key="conferences",
        label=_("Conferences"),
        queryset=lambda: Conference.objects.published(),
        title_field="title",
        other_fields=("theme", "description", "city"),
        snippet_fields=("theme", "description"),
        columns=("slug", "city", "country", "start_date"),
        url=_by_slug("conferences:conference-detail"),
        describe=_describe_conference,
        tags="topics",
        title_indexed=True,
    ),
    SearchType(
        key="sessions",
        label=_("Sessions"),
        queryset=lambda: Session.objects.published(),
        title_field="title",
        other_fields=("description",),
        snippet_fields=("description",),
        columns=("pk", "kind", "day", "conference__slug", "conference__title"),
        url=_session_url,
        describe=_describe_session,
        tags="topics",
        title_indexed=True,
    ),
    SearchType(
        key="people",
        label=_("People"),
        queryset=lambda: Person.objects.public().with_public_bio(),
        title_field="name",
        # The biography only with the person's consent (as the stored document on PostgreSQL).
        other_fields=("job_title", "shown_bio"),
        snippet_fields=("job_title", "shown_bio"),
        columns=("slug", "affiliation__name"),
        url=_by_slug("members:person-detail"),
        describe=_describe_person,
        title_indexed=True,
    ),
    SearchType(
        key="organisations",
        label=_("Organisations"),
        queryset=lambda: Organisation.objects.all(),
        title_field="name",
        other_fields=("short_name", "description", "city"),
        snippet_fields=("short_name", "description"),
        columns=("slug", "kind", "city", "country"),
        url=_by_slug("members:organisation-detail"),
        describe=_describe_organisation,
        tags="topics",
        title_indexed=True,
    ),
    SearchType(
        key="agreements",
        label=_("Agreements"),
        queryset=lambda: Agreement.objects.public(),
        title_field="title",
        other_fields=("summary",),
        snippet_fields=("summary",),
        columns=("slug", "kind", "signed_on"),
        url=_by_slug("agreements:agreement-detail"),
        describe=_describe_agreement,
        tags="topics",
        title_indexed=True,
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
    # More than COUNT_LIMIT match: `count` is COUNT_LIMIT, shown as "100+".
    capped: bool = False

    @property
    def count_text(self) -> str:
        """The count as the page says it: "100+" when capped."""
        return f"{self.found_text}+" if self.capped else self.found_text

    @property
    def found_text(self) -> str:
        return number_format(self.count, force_grouping=True)


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
        groups = _search_all_postgresql(query)
    else:
        words = query_words(query)
        if not words:
            return []
        groups = [_search_words(search_type, words) for search_type in SEARCH_TYPES]
    return [group for group in groups if group.count]


def _total() -> Window:
    # The number of matches before the slice, in the same query as the first page.
    return Window(Count("pk"))


class StoredDocument(Expression):
    """The stored document of the query's own table, under whatever alias the table goes by
    (a subquery names it U0, V0…); matching it uses the table's GIN index."""

    output_field = SearchVectorField()

    def as_sql(self, compiler, connection):
        table = compiler.quote_name_unless_alias(compiler.query.base_table)
        return f"{table}.{connection.ops.quote_name(DOCUMENT_COLUMN)}", []


def _document(search_type: SearchType, queryset: QuerySet):
    if search_type.stored_document:
        return search_document(queryset.model._meta.db_table)
    return SearchVector(search_type.title_field, weight="A", config=SEARCH_CONFIG) + SearchVector(
        *search_type.other_fields, weight="B", config=SEARCH_CONFIG
    )


def _tagged_pks(search_type: SearchType, model: type[Model], topics: Q) -> QuerySet:
    """The keys of the records tagged with a topic matching `topics`."""
    matching = Topic.objects.filter(topics)
    return (
        model._base_manager.filter(**{f"{search_type.tags}__in": matching}).order_by().values("pk")
    )


def _first_topic(search_type: SearchType, model: type[Model], topics: Q) -> Subquery:
    """The name of the record's first topic matching `topics` (what found it)."""
    back = model._meta.get_field(search_type.tags).related_query_name()
    return Subquery(
        Topic.objects.filter(topics, **{back: OuterRef("pk")}).order_by("name").values("name")[:1]
    )


class _AmongKeys(Func):
    """`key = ANY(ARRAY(subquery))`: the rows whose key the subquery found, read by their
    primary key. PostgreSQL plans `key IN (subquery)` as a join and, expecting a few hundred
    candidates, reads the whole table to hash it (12 ms over 40,000 sessions); an array is
    an index lookup per candidate (under 1 ms)."""

    arg_joiner = " = ANY(ARRAY"
    template = "(%(expressions)s))"
    output_field = BooleanField()


def _candidates(search_type: SearchType, search_query: SearchQuery, tag_ids: list[int]) -> QuerySet:
    """The keys of at most COUNT_LIMIT + 1 shown records matching the query by their own
    document; as many matching by their title, which rank first and might not be among those;
    and as many tagged with one of the topics `tag_ids` (counting a record once per topic it
    carries). Each side stops once it has found enough, so that neither ranking nor counting
    reads every match of a common word, and each keeps its index (the document's and the
    title's GIN index, the tags' index by topic)."""
    shown = search_type.queryset().order_by()
    if search_type.stored_document:
        own = shown.alias(own=StoredDocument()).filter(own=search_query)
    else:
        own = shown.alias(own=_document(search_type, shown)).filter(own=search_query)
    others = []
    if search_type.title_indexed:
        title = SearchVector(search_type.title_field, config=SEARCH_CONFIG)
        in_title = shown.alias(title_document=title).filter(title_document=search_query)
        others.append(in_title.values("pk")[: COUNT_LIMIT + 1])
    if search_type.tags and tag_ids:
        # A record tagged with k of the topics comes k times: a side that stops at
        # (COUNT_LIMIT + 1) * k rows has found more than COUNT_LIMIT records.
        tagged = shown.filter(**{f"{search_type.tags}__in": tag_ids}).values("pk")
        others.append(tagged[: (COUNT_LIMIT + 1) * len(tag_ids)])
    own = own.values("pk")[: COUNT_LIMIT + 1]
    return own.union(*others) if others else own


def _search_query(query: str) -> SearchQuery:
    return SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)


def matching_topic_ids(query: str) -> list[int]:
    """The topics whose name matches `query`: what finds the records tagged with them."""
    named = Topic.objects.alias(name_document=SearchVector("name", config=SEARCH_CONFIG))
    return list(named.filter(name_document=_search_query(query)).values_list("pk", flat=True))


def postgresql_matches(
    search_type: SearchType,
    query: str,
    *,
    tag_ids: list[int] | None = None,
    limit: int | None = RESULTS_PER_TYPE,
) -> QuerySet:
    """The records matching `query`, best first, with what the results show (PostgreSQL).

    Ranked and counted within the candidates of `_candidates`: all the matches while they
    are at most COUNT_LIMIT, which covers any query on the demo data; past that the best of
    the first candidates found, and a count of more than COUNT_LIMIT (`total` above it). The
    highlights are made for the rows shown only (PostgreSQL evaluates them after the LIMIT).
    `tag_ids` are the topics whose names match (`matching_topic_ids`, read here when None);
    the topics themselves are annotated with `name_matches`.
    """
    search_query = _search_query(query)
    queryset = search_type.queryset()
    model = queryset.model
    vector = _document(search_type, queryset)
    snippet_text = Func(
        Value(SNIPPET_SEPARATOR),
        *(NullIf(field, Value("")) for field in search_type.snippet_fields),
        function="CONCAT_WS",
        output_field=TextField(),
    )
    marks = {"start_sel": MARK_START, "stop_sel": MARK_END, "config": SEARCH_CONFIG}
    if search_type.tags:
        tag_ids = matching_topic_ids(query) if tag_ids is None else tag_ids
        if tag_ids:
            topics = Q(pk__in=tag_ids)
            queryset = queryset.annotate(search_tag=_first_topic(search_type, model, topics))
    if model is Topic:
        queryset = queryset.alias(
            name_document=SearchVector("name", config=SEARCH_CONFIG)
        ).annotate(
            name_matches=Case(
                When(name_document=search_query, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
    candidates = _candidates(search_type, search_query, tag_ids or [])
    queryset = queryset.filter(_AmongKeys(F("pk"), Subquery(candidates)))
    queryset = queryset.annotate(
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
    ).order_by("-rank", search_type.title_field, "pk")
    return queryset if limit is None else queryset[:limit]


def _hit_columns(search_type: SearchType, *extra: str) -> list[str]:
    """What the hits of `search_type` read, as `.values()` names them."""
    return list(dict.fromkeys([*search_type.columns, "total", *extra]))


def _matched_rows(search_type: SearchType, query: str, tag_ids: list[int]) -> QuerySet:
    """`postgresql_matches` as the rows its hits read: the topics whole, the others' best."""
    limit = None if search_type.queryset().model is Topic else RESULTS_PER_TYPE
    extra = ["title_headline", "snippet_headline"]
    if search_type.tags and tag_ids:
        extra.append("search_tag")
    if limit is None:
        extra.append("name_matches")
    matches = postgresql_matches(search_type, query, tag_ids=tag_ids, limit=limit)
    return matches.values(*_hit_columns(search_type, *extra))


# Each type's query, compiled once per number of matching topics (core/db/prepared.py):
# building and compiling them cost more than PostgreSQL takes to run them.
_PREPARED = {
    search_type.key: PreparedRows(functools.partial(_matched_rows, search_type))
    for search_type in SEARCH_TYPES
}


def _search_postgresql(search_type: SearchType, query: str, tag_ids: list[int]) -> ResultGroup:
    # The topics' keys reach the query only where the type has topics.
    tag_ids = tag_ids if search_type.tags else []
    rows = _PREPARED[search_type.key].rows(query=query, tag_ids=tag_ids)
    return _group(search_type, rows[0]["total"] if rows else 0, _marked_hits(search_type, rows))


def _marked_hits(search_type: SearchType, rows: list[dict]) -> list[Hit]:
    return [
        Hit(
            url=search_type.url(row),
            title=_marked_to_html(row["title_headline"]),
            description=_description(search_type, row),
            snippet=_marked_to_html(row["snippet_headline"] or ""),
        )
        for row in rows
    ]


def _search_all_postgresql(query: str) -> list[ResultGroup]:
    """One query per type. The topics come first and whole (a small vocabulary): those whose
    names match find the records tagged with them in the types after."""
    groups, tag_ids = [], []
    for search_type in SEARCH_TYPES:
        if search_type.queryset().model is Topic:
            topics = _PREPARED[search_type.key].rows(query=query, tag_ids=[])
            tag_ids = [topic["pk"] for topic in topics if topic["name_matches"]]
            hits = _marked_hits(search_type, topics[:RESULTS_PER_TYPE])
            groups.append(_group(search_type, topics[0]["total"] if topics else 0, hits))
        else:
            groups.append(_search_postgresql(search_type, query, tag_ids))
    return groups


def _group(search_type: SearchType, total: int, hits: list[Hit]) -> ResultGroup:
    """The group, its count capped at COUNT_LIMIT (then said as "100+")."""
    capped = total > COUNT_LIMIT
    count = COUNT_LIMIT if capped else total
    return ResultGroup(search_type.key, search_type.label, count, hits, capped)


def _search_words(search_type: SearchType, words: list[str]) -> ResultGroup:
    def any_field(word: str, fields: tuple[str, ...]) -> Q:
        return reduce(or_, (Q(**{f"{field}__icontains": word}) for field in fields))

    queryset = search_type.queryset()
    model = queryset.model
    matches = [any_field(word, search_type.fields) for word in words]
    if search_type.tags:
        for index, word in enumerate(words):
            tagged = _tagged_pks(search_type, model, Q(name__icontains=word))
            matches[index] |= Q(pk__in=tagged)
        any_word = reduce(or_, (Q(name__icontains=word) for word in words))
        queryset = queryset.annotate(search_tag=_first_topic(search_type, model, any_word))
    in_title = reduce(and_, (any_field(word, (search_type.title_field,)) for word in words))
    extra = ["search_tag"] if search_type.tags else []
    columns = _hit_columns(
        search_type, search_type.title_field, *search_type.snippet_fields, *extra
    )
    rows = list(
        queryset.filter(*matches)
        .annotate(
            total=_total(),
            title_match=Case(When(in_title, then=1), default=0, output_field=IntegerField()),
        )
        .order_by("-title_match", search_type.title_field, "pk")
        .values(*columns)[:RESULTS_PER_TYPE]
    )
    hits = [
        Hit(
            url=search_type.url(row),
            title=highlight(row[search_type.title_field], words),
            description=_description(search_type, row),
            snippet=highlight(_excerpt(row, search_type.snippet_fields, words), words),
        )
        for row in rows
    ]
    return _group(search_type, rows[0]["total"] if rows else 0, hits)


def _description(search_type: SearchType, row: dict) -> str:
    """What the record is, and the topic that found it when its tags did."""
    parts = [search_type.describe(row)]
    if row.get("search_tag"):
        parts.append(gettext("Topic: %(topic)s") % {"topic": row["search_tag"]})
    return SNIPPET_SEPARATOR.join(part for part in parts if part)


def _marked_to_html(text: str) -> SafeString:
    html = escape(text).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")
    return mark_safe(html)  # escaped above: the only markup is our own <mark>


def _excerpt(row: dict, fields: tuple[str, ...], words: list[str]) -> str:
    """The snippet text, starting shortly before the first matched word when that is far in."""
    text = SNIPPET_SEPARATOR.join(value for field in fields if (value := row[field]))
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
            total_is_capped=any(group.capped for group in groups),
            total_text=number_format(sum(group.count for group in groups), force_grouping=True),
            results_per_type=RESULTS_PER_TYPE,
            max_query_length=MAX_QUERY_LENGTH,
        )
        return context
