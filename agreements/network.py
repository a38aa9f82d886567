"""The cooperation network: organisations as nodes, agreements as edges between their parties.

Bounded for any number of agreements: only the organisations that signed the most of them
are drawn, with the edges among them, in a fixed number of queries (counts in SQL).

Those queries count over every agreement, too slow for each request: the network of all
public agreements, which the page and the API show when no filter is asked for, is kept by
the worker after changes (core/aggregates.py, portal/aggregates.py) and read in one query;
it may lag a change by up to AGGREGATES_REFRESH_DELAY_SECONDS and the time to count. A
filtered network is built for its request.

Counting the whole network takes seconds once there are many agreements: a request never does
it past COUNTED_IN_REQUEST public agreements (a capped count says). A network counted too long
ago (core.aggregates.is_current) is then served as it was, marked as lagging, while the worker
is asked to count it again; one not counted yet is not shown ("being counted") until the worker
has counted it, seconds later. Up to COUNTED_IN_REQUEST, the request counts it as before.
"""

import datetime
from collections.abc import Iterator
from dataclasses import astuple, dataclass, fields, replace
from itertools import combinations

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Window
from django.utils import timezone
from django_countries.fields import Country

from core import aggregates
from core.aggregates import register
from core.cache import safe_add
from core.models import Aggregate
from members.models import Division, Membership, Organisation, Topic

from .filters import NETWORK_MAX_LIMIT, NETWORK_PAGE_LIMIT
from .models import Agreement, AgreementParty


@dataclass(frozen=True, slots=True)
class NodeDivision:
    """A node's division, as a kept network holds it."""

    pk: int
    slug: str
    name: str


@dataclass(slots=True)
class NetworkNode:
    """An organisation of a kept network, with what the page reads of it: built for each
    request from the kept JSON, a plain object costs a tenth of an unsaved Organisation."""

    pk: int
    slug: str
    name: str
    country: Country
    division: NodeDivision | None
    is_member: bool
    agreement_count: int

    @property
    def division_id(self) -> int | None:
        return self.division.pk if self.division else None


@dataclass(frozen=True)
class Edge:
    agreement: str
    source: str
    target: str
    year: int | None
    topics: list[str]
    kind: str
    status: str


@dataclass(frozen=True)
class Network:
    # Organisations with `is_member` and `agreement_count`, or a kept network's NetworkNodes.
    nodes: list[Organisation | NetworkNode]
    edges: list[Edge]
    organisation_count: int
    agreement_count: int
    # When a kept network was counted; None for one built for the request.
    counted_at: datetime.datetime | None = None
    # A kept network counted before the last change (the worker is recounting it).
    is_lagging: bool = False

    @property
    def is_partial(self) -> bool:
        """Some organisations that signed a matching agreement are left out."""
        return len(self.nodes) < self.organisation_count

    @property
    def nodes_by_agreements(self) -> list[Organisation | NetworkNode]:
        return sorted(self.nodes, key=lambda node: (-node.agreement_count, node.name, node.pk))


# How many renewals apart two agreements of a chain may be and still make one link, when those
# between them are left out (private ones, for visitors): enough for any real chain.
RENEWALS_APART = 3


def links(agreements: QuerySet[Agreement]) -> QuerySet[Agreement]:
    """The agreements that make a link between their parties. An amendment changes a link that
    exists and makes none; a chain of renewals is one link, made by its latest agreement among
    `agreements` (an agreement a later one of them renews, even through renewals left out,
    is left out)."""
    renews = Agreement.Relation.RENEWS
    later = Agreement.objects.filter(relation=renews, pk__in=agreements.values("pk"))
    linking = agreements.exclude(relation=Agreement.Relation.AMENDS)
    # One EXISTS per distance, not one over their OR: each is then a hashed anti-join, where
    # the OR was a nested loop over every pair of agreements.
    step, through = "follows", Q()
    for _apart in range(RENEWALS_APART):
        linking = linking.exclude(Exists(later.filter(through, **{step: OuterRef("pk")})))
        through &= Q(**{f"{step}__relation": renews})
        step = f"{step}__follows"
    return linking


def cooperation_network(agreements: QuerySet[Agreement], *, limit: int) -> Network:
    """The graph of the `limit` organisations that signed the most of `agreements`, counting
    the links among them (`links`: no amendment, a chain of renewals once).

    Each node carries `agreement_count` (how many of `agreements` it signed) and `is_member`;
    nodes are ordered by name. An edge joins every two shown parties of an agreement, oldest
    agreement first; an agreement with fewer than two shown parties gives no edge.
    """
    agreements = links(agreements)
    parties = AgreementParty.objects.filter(agreement__in=agreements.values("pk"))
    # Counted on the parties alone (whole numbers, no join), then the few shown are loaded.
    ranking = list(
        parties.values("organisation")
        .annotate(signed=Count("pk"), organisations=Window(Count("*")))
        .order_by("-signed", "organisation")[:limit]
    )
    signed = {row["organisation"]: row["signed"] for row in ranking}
    current = Membership.objects.current().filter(organisation=OuterRef("pk"))
    nodes = list(
        Organisation.objects.filter(pk__in=list(signed))
        .select_related("division")
        .annotate(is_member=Exists(current))
        .order_by("name", "pk")
    )
    for node in nodes:
        node.agreement_count = signed[node.pk]
    return Network(
        nodes=nodes,
        edges=list(edges_among(agreements, {node.pk: node for node in nodes})),
        organisation_count=ranking[0]["organisations"] if ranking else 0,
        agreement_count=agreements.count(),
    )


def edges_among(agreements: QuerySet[Agreement], shown: dict[int, Organisation]) -> Iterator[Edge]:
    """One edge per two parties in `shown` of each of `agreements` two or more of them signed."""
    if len(shown) < 2:
        return
    shown_parties = AgreementParty.objects.filter(organisation__in=list(shown))
    linking = (
        shown_parties.values("agreement")
        .annotate(shown=Count("pk"))
        .filter(shown__gte=2)
        .values("agreement")
    )
    linked = (
        agreements.filter(pk__in=linking)
        .only("slug", "signed_on", "kind", "status")
        .order_by(F("signed_on").asc(nulls_first=True), "pk")
        .prefetch_related(
            Prefetch(
                "parties",
                queryset=shown_parties.only("agreement", "organisation"),
                to_attr="shown_parties",
            ),
            Prefetch("topics", queryset=Topic.objects.only("slug")),
        )
    )
    for agreement in linked:
        topics = [topic.slug for topic in agreement.topics.all()]
        year = agreement.signed_on.year if agreement.signed_on else None
        for source, target in combinations(agreement.shown_parties, 2):
            yield Edge(
                agreement=agreement.slug,
                source=shown[source.organisation_id].slug,
                target=shown[target.organisation_id].slug,
                year=year,
                topics=topics,
                kind=agreement.kind,
                status=agreement.status,
            )


# The network of all public agreements, kept by the worker.


def public_network_key(limit: int) -> str:
    return f"network:public:{limit}"


def network_payload(network: Network) -> dict:
    """The network as JSON: what the page and the API read of its nodes, and its edges."""
    return {
        "nodes": [
            {
                "id": node.pk,
                "slug": node.slug,
                "name": node.name,
                "country": node.country.code,
                "division": (
                    {"id": node.division.pk, "slug": node.division.slug, "name": node.division.name}
                    if node.division
                    else None
                ),
                "is_member": node.is_member,
                "agreement_count": node.agreement_count,
            }
            for node in network.nodes
        ],
        # Lists, not objects: a JSON column may keep an object's keys in an order of its own.
        "edges": [astuple(edge) for edge in network.edges],
        "organisation_count": network.organisation_count,
        "agreement_count": network.agreement_count,
    }


# An edge's fields, in the order `network_payload` keeps them.
EDGE_FIELDS = [field.name for field in fields(Edge)]


def network_from_payload(payload: dict, **kwargs) -> Network:
    """A kept network as `cooperation_network` gives it, its nodes as NetworkNodes."""
    nodes = [
        NetworkNode(
            pk=item["id"],
            slug=item["slug"],
            name=item["name"],
            country=Country(item["country"]),
            division=(
                NodeDivision(pk=division["id"], slug=division["slug"], name=division["name"])
                if (division := item["division"])
                else None
            ),
            is_member=item["is_member"],
            agreement_count=item["agreement_count"],
        )
        for item in payload["nodes"]
    ]
    return Network(
        nodes=nodes,
        edges=[Edge(*edge) for edge in payload["edges"]],
        organisation_count=payload["organisation_count"],
        agreement_count=payload["agreement_count"],
        **kwargs,
    )


def count_public_network(limit: int) -> dict:
    return network_payload(cooperation_network(Agreement.objects.public(), limit=limit))


# The page's network and the API's when no `limit` is asked for.
KEPT_LIMITS = (NETWORK_PAGE_LIMIT, NETWORK_MAX_LIMIT)
for _limit in KEPT_LIMITS:
    register(
        public_network_key(_limit),
        lambda limit=_limit: count_public_network(limit),
        counts=(Agreement, AgreementParty, Organisation, Division, Topic),
    )


# The most public agreements whose network a request may count when the worker's is missing
# or too old: counting it grows with the agreements (ten seconds for a million).
COUNTED_IN_REQUEST = 5_000


class NetworkNotCounted(Exception):
    """The whole network was never counted, and there are too many agreements to count it
    for this request: the worker has been asked to."""


def kept_public_network(limit: int) -> Aggregate:
    """The network of all public agreements as the worker last counted it, as JSON (one
    query, and a capped count when it is missing or too old); `network_payload` gives its
    shape. Raises NetworkNotCounted when it was never counted and is too large to count now."""
    key = public_network_key(limit)
    stored = aggregates.read_stored([key]).get(key)
    now_clock = aggregates.clock()
    if stored is not None and aggregates.is_current(
        stored, now_clock=now_clock, today=timezone.localdate()
    ):
        return aggregates.served(stored, now_clock=now_clock)
    if not too_many_to_count():
        counted = aggregates.store([key], version=now_clock)[key]
        return aggregates.served(counted, now_clock=now_clock, lagging=False)
    ask_worker_to_count(limit)
    if stored is None:
        raise NetworkNotCounted
    # Counted too long ago: served, marked as lagging, while the worker counts it again.
    return aggregates.served(stored, now_clock=now_clock, lagging=True)


def too_many_to_count() -> bool:
    """Whether the public agreements are too many to count their network in a request."""
    return Agreement.objects.public()[: COUNTED_IN_REQUEST + 1].count() > COUNTED_IN_REQUEST


def ask_worker_to_count(limit: int) -> None:
    """Queue a count of the whole network, once while one is on its way (a cache key says
    so; while the cache does not answer, each request asks and the worker skips the counts a
    count since made needless)."""
    from .tasks import count_public_network

    asked = safe_add(f"{public_network_key(limit)}:asked", 1, settings.AGGREGATES_MAX_LAG_SECONDS)
    if asked:
        count_public_network.enqueue(limit=limit, asked_at=timezone.now().timestamp())


def kept_network(aggregate: Aggregate) -> Network:
    """A kept network as a Network: its nodes and edges made once per count stored
    (`aggregates.derived`), shared by the requests that read the same count."""
    network = aggregates.derived(aggregate, "network", network_from_payload)
    return replace(network, counted_at=aggregate.computed_at, is_lagging=aggregate.is_lagging)


def is_unfiltered(cleaned_data: dict) -> bool:
    """Whether a network form's values ask for every agreement (the graph size aside)."""
    return all(is_blank(value) for name, value in cleaned_data.items() if name != "limit")


def is_blank(value) -> bool:
    if isinstance(value, QuerySet):  # no record chosen: `none()`, never run
        return value.query.is_empty()
    return value in (None, "", [], ())
