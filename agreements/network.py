"""The cooperation network: organisations as nodes, agreements as edges between their parties.

Bounded for any number of agreements: only the organisations that signed the most of them
are drawn, with the edges among them, in a fixed number of queries (counts in SQL).
"""

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import combinations

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Window

from members.models import Membership, Organisation, Topic

from .models import Agreement, AgreementParty


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
    nodes: list[Organisation]
    edges: list[Edge]
    organisation_count: int
    agreement_count: int

    @property
    def is_partial(self) -> bool:
        """Some organisations that signed a matching agreement are left out."""
        return len(self.nodes) < self.organisation_count

    @property
    def nodes_by_agreements(self) -> list[Organisation]:
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
