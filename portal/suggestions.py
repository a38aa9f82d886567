"""Possible partners for an organisation, shown on its profile."""

import datetime
from dataclasses import dataclass

from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Prefetch, Q, Value, When
from django.utils import timezone
from django.utils.text import get_text_list
from django.utils.translation import gettext

from agreements.models import AgreementParty
from core.cache import safe_get, safe_set
from core.changes import records_changed_at
from members.models import Organisation, Topic

SUGGESTION_LIMIT = 5


@dataclass(frozen=True)
class PartnerSuggestion:
    organisation: Organisation
    shared_topics: list[Topic]

    @property
    def reason(self) -> str:
        """One line: "Shares energy efficiency and new materials"."""
        names = [topic.name.lower() for topic in self.shared_topics]
        return gettext("Shares %(topics)s") % {"topics": get_text_list(names, gettext("and"))}


def partner_suggestions(
    *,
    organisation: Organisation,
    limit: int = SUGGESTION_LIMIT,
    on: datetime.date | None = None,
) -> list[PartnerSuggestion]:
    """Current members that share topics with `organisation` and have no agreement with it yet.

    Common ground first: the more topics shared, the higher. Among equals, a park in another
    division or country comes first, since that is the contact a park is least likely to have
    made on its own; then by name, so that the list is stable. Any agreement the two already
    share, published or not, rules a pair out: they are in touch already.

    Two queries whatever the number of members: one counts the shared topics (GROUP BY over
    the organisation-topic table, the agreement check as NOT EXISTS), one reads the names of
    the shared topics of the few organisations kept. Reads `organisation.topics.all()`, which
    the profile has prefetched.

    The ranking reads every member sharing a topic (a few thousand at 100,000 members): the
    cache keeps it until the next change to any record, and a visit meanwhile reads only the
    organisations ranked, in as many queries.
    """
    topic_ids = [topic.pk for topic in organisation.topics.all()]
    if not topic_ids or limit < 1:
        return []
    on = on or timezone.localdate()
    key = ranking_key(organisation, topic_ids, limit=limit, on=on)
    ranked = safe_get(key)
    if ranked is not None:
        return suggestions_ranked(ranked, topic_ids)
    suggestions = rank_partners(organisation, topic_ids, limit=limit, on=on)
    safe_set(key, [s.organisation.pk for s in suggestions], RANKING_SECONDS)
    return suggestions


# How long a ranking is kept at most; any change to any record ends it sooner (the key holds
# the change clock), so that a ranking is never older than the records it was made from.
RANKING_SECONDS = 24 * 60 * 60


def ranking_key(
    organisation: Organisation, topic_ids: list[int], *, limit: int, on: datetime.date
) -> str:
    clock = records_changed_at().timestamp()
    topics = ",".join(map(str, sorted(topic_ids)))
    return f"suggestions:{organisation.pk}:{topics}:{limit}:{on.isoformat()}:{clock}"


def shared_topics(topic_ids: list[int]) -> Prefetch:
    return Prefetch(
        "topics",
        queryset=Topic.objects.filter(pk__in=topic_ids).order_by("name"),
        to_attr="shared_topics",
    )


def suggestions_ranked(ranked: list[int], topic_ids: list[int]) -> list[PartnerSuggestion]:
    """The suggestions of a kept ranking (two queries, as when ranking): the organisations
    are read again, so that the page shows them as they are and depends on them."""
    found = {
        candidate.pk: candidate
        for candidate in Organisation.objects.filter(pk__in=ranked)
        .select_related("division")
        .only(*SHOWN)
        .prefetch_related(shared_topics(topic_ids))
    }
    return [
        PartnerSuggestion(organisation=found[pk], shared_topics=found[pk].shared_topics)
        for pk in ranked
        if pk in found
    ]


# What a suggestion shows of the organisation.
SHOWN = ("name", "slug", "city", "country", "division__name", "division__slug")


def rank_partners(
    organisation: Organisation, topic_ids: list[int], *, limit: int, on: datetime.date
) -> list[PartnerSuggestion]:
    """The ranking itself: see `partner_suggestions`."""

    its_agreements = AgreementParty.objects.filter(organisation=organisation).values("agreement")
    in_agreement_with_it = AgreementParty.objects.filter(
        organisation=OuterRef("pk"), agreement__in=its_agreements
    )
    same_division = (
        Q(division=organisation.division_id)
        if organisation.division_id
        else Q(division__isnull=True)
    )
    candidates = (
        Organisation.objects.current_members(on=on)
        .exclude(pk=organisation.pk)
        .filter(~Exists(in_agreement_with_it))
        # Filtered before the count: only the shared topics are counted.
        .filter(topics__in=topic_ids)
        .annotate(
            shared_topic_count=Count("topics"),
            elsewhere=Case(
                When(same_division & Q(country=organisation.country), then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            ),
        )
        .select_related("division")
        .only(*SHOWN)
        .prefetch_related(shared_topics(topic_ids))
        .order_by("-shared_topic_count", "-elsewhere", "name", "pk")
    )
    return [
        PartnerSuggestion(organisation=candidate, shared_topics=candidate.shared_topics)
        for candidate in candidates[:limit]
    ]
