"""Records of one app with what the higher apps say about them, for the pages and API shapes
that show both: a topic with what is tagged with it, an organisation with the conferences it
hosted and the agreements it signed, a person with their appearances.

Each function starts from the lower app's own QuerySet and adds the higher apps' reads
(`conferences.selectors`, `agreements.selectors`), so that no lower app imports a higher one.
"""

from collections.abc import Iterable
from functools import partial

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Value,
    When,
)
from django.http import QueryDict
from django.utils import timezone

from agreements import selectors as agreement_reads
from agreements.models import Agreement
from conferences import models as conference_models
from conferences import selectors as programme_reads
from conferences.models import Appearance, Conference, Session
from core.aggregates import read, register
from core.db.counts import count_of
from core.db.presence import prefetch_present, with_presence
from members.models import Division, Membership, Office, Organisation, Person, Topic

# How many of each kind of record a topic's or division's page lists before linking to the
# full list.
TOPIC_PAGE_LIMIT = 12
DIVISION_PAGE_LIMIT = 24


def topics_with_counts(topics: QuerySet[Topic] | None = None) -> QuerySet[Topic]:
    """Topics with how many organisations, sessions and public agreements carry each."""
    topics = Topic.objects.all() if topics is None else topics
    return topics.annotate(
        organisation_count=count_of(Organisation.topics.through.objects.all(), "topic"),
        session_count=count_of(programme_reads.session_topic_links(), "topic"),
        agreement_count=count_of(agreement_reads.public_topic_links(), "topic"),
    )


# The topic list's counts, kept by the worker (core/aggregates.py): counted per topic by a
# correlated subquery each, they read every public agreement once per topic (a second at
# 10,000 agreements). Counted here in one grouped pass per kind instead, after changes.
TOPIC_COUNTS_KEY = "topics:counts"
TOPIC_COUNTS = ("organisation_count", "session_count", "agreement_count")


def grouped_count(rows: QuerySet, related: str) -> dict:
    """How many of `rows` point at each value of `related`, in one grouped query (`rows`
    joins nothing to-many: each row counts once)."""
    counted = rows.order_by().values(related).annotate(count=Count("pk"))
    return {row[related]: row["count"] for row in counted}


def count_topic_links() -> dict[str, list[int]]:
    """{topic id: [organisations, sessions, public agreements]}, the topics tagged at all."""
    per_kind = [
        grouped_count(Organisation.topics.through.objects.all(), "topic"),
        grouped_count(programme_reads.session_topic_links(), "topic"),
        grouped_count(agreement_reads.public_topic_links(), "topic"),
    ]
    topics = set().union(*per_kind)
    return {str(topic): [counts.get(topic, 0) for counts in per_kind] for topic in topics}


register(TOPIC_COUNTS_KEY, count_topic_links, counts=(Topic, Organisation, Session, Agreement))


# The home page's key figures, kept by the worker (core/aggregates.py): counting the current
# members, their countries and the public agreements reads every membership and agreement
# (130 ms at scale 100). They may lag a change as the figures page does.
HOME_FIGURES_KEY = "home:figures"


def count_home_figures() -> dict[str, int]:
    """Current members, their countries, divisions and public agreements."""
    today = timezone.localdate()
    members = Organisation.objects.current_members(on=today)
    figures = members.aggregate(
        members=Count("pk", distinct=True), countries=Count("country", distinct=True)
    )
    return {
        **figures,
        "divisions": Division.objects.count(),
        "agreements": Agreement.objects.public().count(),
    }


register(
    HOME_FIGURES_KEY, count_home_figures, counts=(Organisation, Membership, Division, Agreement)
)


def home_figures() -> dict[str, int]:
    """The key figures as the worker last counted them (one query)."""
    return read(HOME_FIGURES_KEY).payload


# The people list's conference facet, unfiltered, kept by the worker beside the list's
# other counts (members/directory.py): it counts the appearances of every public person.
PEOPLE_CONFERENCES_KEY = "people:conferences"


def count_people_per_conference() -> list[list]:
    """[slug, title, people] of the conferences the people list's conference facet offers."""
    from .filters import PersonFilter

    people = PersonFilter(QueryDict(), queryset=Person.objects.public())
    people.form.is_valid()
    return [list(row) for row in people.counted_facet("conference", people.facets["conference"])]


register(
    PEOPLE_CONFERENCES_KEY,
    count_people_per_conference,
    counts=(Person, Appearance, Session, Conference),
)


def topics_with_kept_counts() -> list[Topic]:
    """Every topic with the counts of `topics_with_counts`, as the worker last counted them
    (they may lag a change by a minute or so): two queries."""
    kept = read(TOPIC_COUNTS_KEY).payload
    topics = list(Topic.objects.all())
    for topic in topics:
        for name, count in zip(TOPIC_COUNTS, kept.get(str(topic.pk), [0, 0, 0]), strict=True):
            setattr(topic, name, count)
    return topics


def topics_with_tagged_records() -> QuerySet[Topic]:
    """Topics with how much is tagged with each, and the first TOPIC_PAGE_LIMIT of each kind.

    Each count links to the full, paged list.
    """
    limit = TOPIC_PAGE_LIMIT
    return topics_with_counts(
        Topic.objects.annotate(
            member_count=count_of(
                Organisation.topics.through.objects.filter(
                    Exists(
                        Organisation.objects.current_members().filter(
                            pk=OuterRef("organisation_id")
                        )
                    )
                ),
                "topic",
            ),
            conference_count=count_of(programme_reads.conference_topic_links(), "topic"),
        )
    ).prefetch_related(
        Prefetch(
            "organisations",
            queryset=Organisation.objects.for_cards().order_by("name", "pk")[:limit],
            to_attr="tagged_organisations",
        ),
        Prefetch(
            "conferences",
            queryset=programme_reads.conferences_newest_first()[:limit],
            to_attr="tagged_conferences",
        ),
        Prefetch(
            "sessions",
            queryset=programme_reads.sessions_newest_first()[:limit],
            to_attr="tagged_sessions",
        ),
        Prefetch(
            "agreements",
            queryset=agreement_reads.public_agreements_newest_first()[:limit],
            to_attr="tagged_agreements",
        ),
    )


# The divisions' counts, kept by the worker (core/aggregates.py): counted per division by a
# correlated subquery, the members read every current membership (over 300 ms at scale 100),
# once for each division the API expands. Counted in one grouped pass per kind instead.
DIVISION_COUNTS_KEY = "divisions:counts"
DIVISION_COUNTS = ("member_count", "conference_count")


def count_division_links() -> dict[str, list[int]]:
    """{division id: [current members, published conferences]}, the divisions with either."""
    per_kind = [
        grouped_count(Organisation.objects.current_members(), "division"),
        grouped_count(Conference.objects.published(), "division"),
    ]
    divisions = set().union(*per_kind) - {None}
    return {
        str(division): [counts.get(division, 0) for counts in per_kind] for division in divisions
    }


register(
    DIVISION_COUNTS_KEY,
    count_division_links,
    counts=(Division, Organisation, Membership, Conference),
)


def divisions_with_counts(divisions: QuerySet[Division] | None = None) -> QuerySet[Division]:
    """Divisions with how many current members and conferences each has, as the worker last
    counted them (they may lag a change by a minute or so): one query to read the counts,
    written into the divisions' own query (a CASE over the handful of divisions), so that it
    stays a QuerySet to filter, order and prefetch."""
    divisions = Division.objects.all() if divisions is None else divisions
    kept = read(DIVISION_COUNTS_KEY).payload
    return divisions.annotate(
        **{name: kept_value(kept, position) for position, name in enumerate(DIVISION_COUNTS)}
    )


def kept_value(kept: dict[str, list[int]], position: int) -> Case | Value:
    """The count at `position` of each division in `kept`, as an expression over its key."""
    cases = [
        When(pk=int(division), then=Value(counts[position]))
        for division, counts in kept.items()
        if counts[position]
    ]
    if not cases:
        return Value(0, output_field=IntegerField())
    return Case(*cases, default=Value(0), output_field=IntegerField())


def divisions_with_members_and_conferences() -> QuerySet[Division]:
    """Divisions with their counts, office holders and first DIVISION_PAGE_LIMIT members and
    conferences."""
    limit = DIVISION_PAGE_LIMIT
    return divisions_with_counts().prefetch_related(
        Prefetch(
            "offices",
            queryset=Office.objects.current().select_related("person__affiliation"),
            to_attr="current_offices",
        ),
        Prefetch(
            "organisations",
            queryset=Organisation.objects.for_directory().order_by("name", "pk")[:limit],
            to_attr="member_organisations",
        ),
        Prefetch(
            "conferences",
            queryset=programme_reads.conferences_newest_first()[:limit],
            to_attr="conference_list",
        ),
    )


def organisations_in_full() -> QuerySet[Organisation]:
    """The API's whole organisation: memberships, people, conferences hosted, agreements."""
    return Organisation.objects.for_api().prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.order_by("-started_on", "-pk"),
            to_attr="membership_history",
        ),
        Prefetch("people", queryset=Person.objects.order_by("name", "pk"), to_attr="person_list"),
        Prefetch(
            "hosted_conferences",
            queryset=programme_reads.conferences_newest_first(),
            to_attr="conferences_hosted",
        ),
        Prefetch(
            "agreement_parties",
            queryset=agreement_reads.public_party_rows(),
            to_attr="public_agreement_parties",
        ),
    )


def organisations_with_activity() -> QuerySet[Organisation]:
    """An organisation's page: membership, hosting, visits received, people, agreements.

    Hosting and visits are read only where there are any (`complete_organisations`): most
    organisations have neither."""
    queryset = Organisation.objects.select_related("division").prefetch_related(
        "topics",
        Prefetch(
            "memberships", queryset=Membership.objects.current(), to_attr="current_memberships"
        ),
        Prefetch(
            "people", queryset=Person.objects.with_current_offices(), to_attr="affiliated_people"
        ),
        Prefetch(
            "agreement_parties",
            queryset=agreement_reads.public_party_rows_with_parties(),
            to_attr="public_agreement_parties",
        ),
    )
    return with_presence(queryset, organisation_occasional_activity)


def organisation_occasional_activity() -> list[Prefetch]:
    """What few organisations have: conferences hosted, visits received."""
    return [
        Prefetch(
            "conference_host_links",
            queryset=programme_reads.host_rows_newest_first(),
            to_attr="hosting",
        ),
        Prefetch(
            "visits", queryset=programme_reads.visits_newest_first(), to_attr="visits_received"
        ),
    ]


def complete_organisations(organisations: Iterable[Organisation]) -> None:
    """Read the hosting and visits of organisations from `organisations_with_activity()`,
    where they have any."""
    prefetch_present(organisations, organisation_occasional_activity)


def people_in_full() -> QuerySet[Person]:
    """The API's whole person: offices, appearances and awards."""
    return Person.objects.for_api().prefetch_related(
        Prefetch(
            "offices",
            queryset=Office.objects.for_titles().order_by(
                F("started_on").desc(nulls_last=True), "pk"
            ),
            to_attr="office_list",
        ),
        Prefetch(
            "appearances",
            queryset=programme_reads.appearances_newest_conference_first(),
            to_attr="appearance_list",
        ),
        Prefetch("awards", queryset=programme_reads.awards_newest_first(), to_attr="award_list"),
    )


def people_with_activity(on=None) -> QuerySet[Person]:
    """A person's page: offices held now and before, appearances, quotes and awards."""
    return (
        Person.objects.select_related("affiliation")
        .with_current_offices(on=on)
        .prefetch_related(
            Prefetch(
                "offices", queryset=Office.objects.past(on=on).for_titles(), to_attr="past_offices"
            ),
            Prefetch(
                "appearances",
                # Grouped by conference on the page: newest conference first, then programme.
                queryset=programme_reads.appearances_newest_conference_first(),
                to_attr="conference_appearances",
            ),
            Prefetch(
                "quotes", queryset=programme_reads.quotes_newest_first(), to_attr="quote_list"
            ),
            Prefetch(
                "awards", queryset=programme_reads.awards_newest_first(), to_attr="award_list"
            ),
        )
    )


def with_public_agreements(
    conferences: QuerySet[Conference], *, with_parties: bool = False
) -> QuerySet[Conference]:
    """Conferences from `in_full()` to be given by `complete_conferences` the public
    agreements signed at each (`public_agreements`), first signed first, with their parties
    for a page that names them; read only where any agreement was signed."""
    return with_presence(conferences, partial(signed_public_agreements, with_parties=with_parties))


def signed_public_agreements(*, with_parties: bool) -> list[Prefetch]:
    agreements = agreement_reads.public_agreements_in_signing_order()
    if with_parties:
        agreements = agreements.with_parties()
    return [Prefetch("agreements", agreements, to_attr="public_agreements")]


def complete_conferences(conferences: Iterable[Conference], *, with_parties: bool = False) -> None:
    """Read what conferences from `with_public_agreements(….in_full())` have besides their
    programme (participants, outcomes, agreements), where they have any."""
    conferences = list(conferences)
    conference_models.complete_conferences(conferences)
    prefetch_present(conferences, partial(signed_public_agreements, with_parties=with_parties))
