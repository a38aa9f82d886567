"""The organisation and conference lists written from rows (portal/api/*/rows.py) say, byte
for byte, what their serializers say of the same records, for every audience, page and
expansion the rows write; the other variants stay the serializers'."""

import datetime

import factory
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from conferences.models import Conference, ConferenceHost
from core.rest.rows import RowShape
from members.models import Membership
from portal.api.conferences.views import ConferenceViewSet
from portal.api.members.serializers import OrganisationSerializer
from portal.api.members.views import OrganisationViewSet
from tests.factories import (
    ConferenceFactory,
    ConferenceHostFactory,
    DivisionFactory,
    MembershipFactory,
    OrganisationFactory,
    TopicFactory,
    organisation_with_logo,
)
from tests.rows_support import both_ways, dependency_tags, fields_with_a_value

pytestmark = pytest.mark.django_db

ORGANISATIONS = reverse("api:organisation-list")
CONFERENCES = reverse("api:conference-list")
CALLERS = ["api_client", "partner_client", "staff_api_client"]


@pytest.fixture(autouse=True)
def each_answer_made(settings):
    settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture
def records():
    """Organisations and conferences holding each thing their shapes show, and leaving out
    each thing they may leave out."""
    europe = DivisionFactory(name="Europe", website="https://example.org/europe")
    energy, health = TopicFactory(name="Energy"), TopicFactory(name="Health")
    member = organisation_with_logo(
        name="Parque & Co <Norte>",
        short_name="PCN",
        country="ES",
        city="Bilbao",
        latitude="43.263000",
        longitude="-2.935000",
        website="https://example.org/pcn",
        contact_email="hello@example.org",
        ror_id="05abc1234",
        wikidata_id="Q42",
        division=europe,
    )
    member.topics.set([health, energy])
    MembershipFactory(organisation=member, category=Membership.Category.AFFILIATED)
    former = OrganisationFactory(name="Former member", division=None, country="PT")
    MembershipFactory(
        organisation=former,
        started_on=datetime.date(2010, 1, 1),
        ended_on=datetime.date(2012, 1, 1),
        status=Membership.Status.FORMER,
    )
    plain = OrganisationFactory(name="Plain", country="TH")

    world = ConferenceFactory(
        kind=Conference.Kind.DIVISION,
        title="Europe Division Conference",
        theme="Ecosystems",
        venue="Bizkaia Aretoa",
        participant_count=1500,
        participant_count_is_minimum=True,
        website="https://example.org/wc42",
        registration_url="https://example.org/register",
        cover_image=factory.django.ImageField(width=1600, height=900, format="PNG"),
        division=europe,
    )
    ConferenceHostFactory(conference=world, organisation=member, order=0)
    ConferenceHostFactory(
        conference=world, organisation=plain, role=ConferenceHost.Role.CO_HOST, order=1
    )
    world.topics.set([energy, health])
    ConferenceFactory(title="Bare", division=None, start_date=datetime.date(2026, 5, 1),
                      end_date=datetime.date(2026, 5, 2))  # fmt: skip
    hosted_by_former = ConferenceFactory(is_published=False, title="Draft")
    ConferenceHostFactory(conference=hosted_by_former, organisation=former)
    return {"organisations": 3, "conferences": 3}


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("query", ["", "?page_size=1&page=2", "?ordering=-name", "?member=true"])
def test_organisations_from_rows(caller, query, request, monkeypatch, records):
    client = request.getfixturevalue(caller)
    from_rows, serialized = both_ways(
        client, monkeypatch, ORGANISATIONS + query, OrganisationViewSet
    )
    assert from_rows.content == serialized.content


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize(
    "query",
    [
        "",
        "?expand=hosts",
        "?expand=division",
        "?expand=hosts,division",
        "?page_size=1&page=2&expand=hosts",
        "?ordering=title",
    ],
)
def test_conferences_from_rows(caller, query, request, monkeypatch, records):
    client = request.getfixturevalue(caller)
    from_rows, serialized = both_ways(client, monkeypatch, CONFERENCES + query, ConferenceViewSet)
    assert from_rows.content == serialized.content


def test_the_comparisons_compare_every_field(staff_api_client, monkeypatch, records):
    """Each field of both shapes holds a value in some record compared above."""
    organisations, _ = both_ways(staff_api_client, monkeypatch, ORGANISATIONS, OrganisationViewSet)
    results = organisations.json()["results"]
    assert set(results[0]) - fields_with_a_value(results) == set()
    conferences, _ = both_ways(
        staff_api_client, monkeypatch, f"{CONFERENCES}?expand=hosts,division", ConferenceViewSet
    )
    results = conferences.json()["results"]
    assert set(results[0]) - fields_with_a_value(results) == set()
    world = next(row for row in results if row["title"] == "Europe Division Conference")
    assert [host["organisation"]["name"] for host in world["hosts"]] == [
        "Parque & Co <Norte>",
        "Plain",
    ]
    assert world["hosts"][0]["organisation"]["contact_email"] == "hello@example.org"
    assert world["division"]["name"] == "Europe"
    assert "member_count" in world["division"]


def test_visitors_do_not_get_staff_fields_from_rows(api_client, records):
    organisations = api_client.get(ORGANISATIONS).json()["results"]
    assert all("contact_email" not in row for row in organisations)
    conferences = api_client.get(f"{CONFERENCES}?expand=hosts").json()["results"]
    hosts = [host["organisation"] for row in conferences for host in row["hosts"]]
    assert hosts and all("contact_email" not in host for host in hosts)
    assert [row["title"] for row in conferences if row["title"] == "Draft"] == []


@pytest.mark.parametrize(
    "view, query",
    [
        (OrganisationViewSet, "?format=csv"),
        (OrganisationViewSet, "?expand=topics"),
        (OrganisationViewSet, "?group_by=country"),
        (ConferenceViewSet, "?format=csv"),
        (ConferenceViewSet, "?format=ics"),
        (ConferenceViewSet, "?expand=topics"),
        (ConferenceViewSet, "?expand=hosts,topics"),
        (ConferenceViewSet, "?group_by=year"),
    ],
)
def test_other_variants_are_the_serializers(api_client, monkeypatch, records, view, query):
    def refuse(self, rows):
        raise AssertionError("written from rows")

    monkeypatch.setattr(view.list_rows, "write", refuse)
    url = ORGANISATIONS if view is OrganisationViewSet else CONFERENCES
    assert api_client.get(url + query).status_code == 200


def test_a_shape_field_without_a_column_or_a_function_is_an_error():
    """A field added to a serializer that the rows cannot write fails when the shape is made,
    not with a wrong answer: a relation, a column read by a field of the portal's own (an
    image), a function for no field."""
    serializer = OrganisationSerializer(context={})
    computed = dict.fromkeys(
        ["country_name", "logo", "division", "topics", "is_member", "membership", "url"], str
    )
    assert RowShape(serializer, {**computed, "web_url": str}).columns[:3] == ["id", "slug", "name"]
    with pytest.raises(ImproperlyConfigured, match=r"OrganisationSerializer\.web_url"):
        RowShape(serializer, computed)
    with pytest.raises(ImproperlyConfigured, match="not_a_field"):
        RowShape(serializer, {**computed, "web_url": str, "not_a_field": str})
    del computed["logo"]
    with pytest.raises(ImproperlyConfigured, match=r"OrganisationSerializer\.logo"):
        RowShape(serializer, {**computed, "web_url": str})


@pytest.mark.parametrize(
    "view, url",
    [
        (OrganisationViewSet, ORGANISATIONS),
        (ConferenceViewSet, f"{CONFERENCES}?expand=hosts,division"),
        (ConferenceViewSet, CONFERENCES),
    ],
)
def test_rows_depend_on_the_records_the_serializer_loaded(
    api_client, monkeypatch, settings, records, view, url
):
    """A cached list is dropped by a change to any record it shows: the rows name each one
    (core/dependencies.py), as the instances the serializer read did by being loaded."""
    settings.PAGE_CACHE_SECONDS = 300
    tags = dependency_tags(api_client, monkeypatch, url, view)
    assert tags["rows"] == tags["serializer"]
    assert any(tag.startswith("dep:members.organisation:") for tag in tags["rows"])
    assert any(tag.startswith("dep:members.topic:") for tag in tags["rows"])
