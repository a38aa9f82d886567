"""Reads of the programme that the pages of members' records show (a person's appearances, an
organisation's hosting, a topic's sessions): named for the data, composed by `portal`.

Each shows only what visitors may see: published sessions of published conferences.
"""

from django.db.models import F, QuerySet

from .models import Appearance, Award, Conference, ConferenceHost, Quote, Session


def appearances_newest_conference_first() -> QuerySet[Appearance]:
    """Appearances with their session and conference: newest conference first, then programme."""
    return (
        Appearance.objects.filter(
            session__is_published=True, session__conference__is_published=True
        )
        .select_related("session__conference")
        .order_by(
            "-session__conference__start_date",
            "session__conference_id",
            "session__day",
            F("session__start_time").asc(nulls_first=True),
            "session__order",
            "order",
            "pk",
        )
    )


def awards_newest_first() -> QuerySet[Award]:
    return (
        Award.objects.filter(conference__is_published=True)
        .select_related("conference")
        .order_by("-conference__start_date", "pk")
    )


def quotes_newest_first() -> QuerySet[Quote]:
    return (
        Quote.objects.filter(conference__is_published=True)
        .exclude(session__is_published=False)
        .select_related("conference", "session__conference")
        .order_by("-conference__start_date", "pk")
    )


def conferences_newest_first() -> QuerySet[Conference]:
    return Conference.objects.published().order_by("-start_date", "-pk")


def host_rows_newest_first() -> QuerySet[ConferenceHost]:
    """Host rows with their conference, the latest conference first."""
    return (
        ConferenceHost.objects.filter(conference__is_published=True)
        .select_related("conference")
        .order_by("-conference__start_date", "order", "pk")
    )


def sessions_newest_first() -> QuerySet[Session]:
    """Sessions with their conference: the latest conference first, then programme order."""
    return (
        Session.objects.published()
        .select_related("conference")
        .order_by("-conference__start_date", "conference_id", "day", "start_time", "order", "pk")
    )


def visits_newest_first() -> QuerySet[Session]:
    """Sessions (technical visits) with their conference, the latest day first."""
    return Session.objects.published().select_related("conference").order_by("-day", "pk")


def session_topic_links() -> QuerySet:
    return Session.topics.through.objects.filter(
        session__is_published=True, session__conference__is_published=True
    )


def conference_topic_links() -> QuerySet:
    return Conference.topics.through.objects.filter(conference__is_published=True)
