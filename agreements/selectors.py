"""Reads of agreements that the pages of lower records show (a topic's, an organisation's, a
conference's): named for the data they return, composed by `portal`."""

from django.db.models import Exists, F, OuterRef, Prefetch, QuerySet

from .models import Agreement, AgreementParty


def public_agreements_newest_first() -> QuerySet[Agreement]:
    """Public agreements, latest signed first (undated last), with their parties."""
    return (
        Agreement.objects.public()
        .order_by(F("signed_on").desc(nulls_last=True), "title", "pk")
        .with_parties()
    )


def public_agreements_in_signing_order() -> QuerySet[Agreement]:
    """Public agreements, first signed first (a conference's signings)."""
    return Agreement.objects.public().order_by("signed_on", "title", "pk")


def public_party_rows() -> QuerySet[AgreementParty]:
    """Party rows of public agreements, the latest agreement first, with the agreement."""
    return (
        AgreementParty.objects.filter(agreement__in=Agreement.objects.public())
        .select_related("agreement")
        .order_by(F("agreement__signed_on").desc(nulls_last=True), "agreement__title")
    )


def public_party_rows_with_parties() -> QuerySet[AgreementParty]:
    """`public_party_rows()` with every party of each agreement, to name the other parties."""
    return public_party_rows().prefetch_related(
        Prefetch(
            "agreement__parties", queryset=AgreementParty.objects.select_related("organisation")
        )
    )


def public_topic_links() -> QuerySet:
    """Agreement–topic links of public agreements, to count agreements per topic."""
    return Agreement.topics.through.objects.filter(
        Exists(Agreement.objects.public().filter(pk=OuterRef("agreement_id")))
    )
