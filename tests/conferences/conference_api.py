"""Helpers and the Beijing fixture shared by the /api/v1/conferences/ tests."""

import datetime

import factory
import pytest
from django.utils import timezone

from conferences.models import Conference, ConferenceHost
from tests.factories import (
    ConferenceFactory,
    ConferenceHostFactory,
    OrganisationFactory,
    TopicFactory,
)

LIST = "/api/v1/conferences/"


def detail(slug: str) -> str:
    return f"{LIST}{slug}/"


def slugs(response) -> list[str]:
    return [row["slug"] for row in response.json()["results"]]


def days_from_today(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def dated(start_in_days: int, length: int = 3, **kwargs) -> Conference:
    start = days_from_today(start_in_days)
    return ConferenceFactory(
        start_date=start, end_date=start + datetime.timedelta(days=length - 1), **kwargs
    )


def division_conference(division, **kwargs) -> Conference:
    return ConferenceFactory(kind=Conference.Kind.DIVISION, division=division, **kwargs)


@pytest.fixture
def beijing():
    """The 42nd World Conference with hosts, topics, a programme and its outcomes."""
    conference = ConferenceFactory(
        edition=42,
        title="IASP 2025 Beijing",
        slug="iasp-2025-beijing",
        theme="AI and the future of innovation ecosystems",
        description="Five days in Beijing.",
        report="More than 1,500 delegates took part.",
        start_date=datetime.date(2025, 9, 15),
        end_date=datetime.date(2025, 9, 19),
        city="Beijing",
        country="CN",
        venue="China National Convention Center",
        time_zone="Asia/Shanghai",
        participant_count=1500,
        participant_count_is_minimum=True,
        website="https://www.iasp2025beijing.com/",
        cover_image=factory.django.ImageField(width=1600, height=900, format="PNG"),
    )
    zgc = OrganisationFactory(name="Zhongguancun Science Park", slug="zgc", country="CN")
    tusp = OrganisationFactory(name="Tsinghua Science Park", slug="tusp", country="CN")
    ConferenceHostFactory(conference=conference, organisation=zgc, order=0)
    ConferenceHostFactory(
        conference=conference, organisation=tusp, role=ConferenceHost.Role.CO_HOST, order=1
    )
    conference.topics.add(TopicFactory(name="Artificial intelligence", slug="ai"))
    conference.participating_organisations.add(
        OrganisationFactory(name="Berlin Adlershof", slug="adlershof")
    )
    return conference
