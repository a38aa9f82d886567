"""/api/v1/organisations/: list and detail shapes, expansions, CSV, hidden data, query budgets."""

import csv
import datetime
import io

import pytest

from agreements.models import Agreement
from core import aggregates
from members.models import Membership, Organisation
from portal.tasks import refresh_aggregates
from tests.factories import (
    AgreementPartyFactory,
    ConferenceHostFactory,
    DivisionFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    TopicFactory,
    bilateral_agreement,
    organisation_with_logo,
)
from tests.members.organisation_api import LIST, former_member, slugs

pytestmark = pytest.mark.django_db


def member_park(**kwargs) -> Organisation:
    """A current full member with two topics."""
    organisation = OrganisationFactory(**kwargs)
    organisation.topics.add(TopicFactory(), TopicFactory())
    MembershipFactory(organisation=organisation, started_on=datetime.date(2019, 3, 1))
    return organisation


# The list shape


def test_list_shows_a_member_with_every_field(api_client):
    division = DivisionFactory(name="Asia Pacific", slug="asia-pacific")
    energy = TopicFactory(name="Energy efficiency", slug="energy-efficiency")
    step = OrganisationFactory(
        name="Chiang Mai University Science and Technology Park",
        short_name="CMU STeP",
        slug="cmu-step",
        kind=Organisation.Kind.SCIENCE_PARK,
        country="TH",
        city="Chiang Mai",
        latitude="18.795000",
        longitude="98.952000",
        website="https://step.cmu.ac.th/",
        contact_email="office@step.example",
        division=division,
        ror_id="05m2fqn25",
        wikidata_id="Q123456",
    )
    step.topics.add(energy)
    MembershipFactory(
        organisation=step,
        category=Membership.Category.FULL,
        started_on=datetime.date(2012, 5, 1),
    )

    response = api_client.get(LIST)

    assert response.status_code == 200
    [row] = response.json()["results"]
    assert row == {
        "id": step.pk,
        "slug": "cmu-step",
        "name": "Chiang Mai University Science and Technology Park",
        "short_name": "CMU STeP",
        "kind": "science_park",
        "country": "TH",
        "country_name": "Thailand",
        "city": "Chiang Mai",
        "latitude": 18.795,
        "longitude": 98.952,
        "website": "https://step.cmu.ac.th/",
        "logo": None,
        "division": {
            "id": division.pk,
            "slug": "asia-pacific",
            "name": "Asia Pacific",
            "url": "http://testserver/api/v1/divisions/asia-pacific/",
        },
        "topics": [
            {
                "id": energy.pk,
                "slug": "energy-efficiency",
                "name": "Energy efficiency",
                "url": "http://testserver/api/v1/topics/energy-efficiency/",
            }
        ],
        "is_member": True,
        "membership": {"category": "full", "member_since": "2012-05-01"},
        "ror_id": "05m2fqn25",
        "wikidata_id": "Q123456",
        "url": "http://testserver/api/v1/organisations/cmu-step/",
        "web_url": "http://testserver/organisations/cmu-step/",
        "created": step.created.isoformat().replace("+00:00", "Z"),
        "modified": step.modified.isoformat().replace("+00:00", "Z"),
    }


def test_list_shows_non_members_without_membership(api_client):
    former_member(slug="former-park")
    OrganisationFactory(slug="host-university", division=None, kind="university")

    response = api_client.get(LIST)

    rows = {row["slug"]: row for row in response.json()["results"]}
    assert set(rows) == {"former-park", "host-university"}
    assert rows["former-park"]["is_member"] is False
    assert rows["former-park"]["membership"] is None
    assert rows["host-university"]["division"] is None
    assert rows["host-university"]["latitude"] is None
    assert rows["host-university"]["longitude"] is None


def test_logo_is_an_absolute_url_with_its_size(api_client):
    organisation_with_logo(slug="with-logo")

    response = api_client.get(LIST)

    logo = response.json()["results"][0]["logo"]
    assert logo["url"].startswith("http://testserver/media/organisations/logos/with-logo-")
    assert (logo["width"], logo["height"]) == (200, 100)


# Query budgets: the same number of queries for one row and for many.


def many_organisations(count: int) -> None:
    """Members, each with its own division and topics, all sharing the topic `energy`."""
    energy = TopicFactory(slug="energy")
    for _ in range(count):
        organisation = member_park()
        organisation.topics.add(energy)
        PersonFactory(affiliation=organisation)


@pytest.mark.parametrize("count", [1, 5])
@pytest.mark.parametrize(
    ("query", "queries"),
    [
        # count, page, topics
        ("", 3),
        # + the divisions' kept counts, the divisions
        ("?expand=division", 5),
        # + topics with their counts
        ("?expand=topics", 4),
        ("?expand=division,topics", 6),
        # + the topic looked up by its slug
        ("?topic=energy&member=true&category=full&country=SE", 4),
        ("?format=csv", 3),
    ],
)
def test_list_query_budget(api_client, django_assert_num_queries, count, query, queries):
    many_organisations(count)
    refresh_aggregates.call(changed_at=aggregates.clock())

    with django_assert_num_queries(queries):
        response = api_client.get(f"{LIST}{query}")

    assert response.status_code == 200
    rows = response.content.decode().splitlines()[1:] if "csv" in query else slugs(response)
    assert len(rows) == count


@pytest.mark.parametrize("count", [1, 5])
@pytest.mark.parametrize(
    ("query", "queries"),
    [
        # organisation, topics, memberships, people, conferences hosted, agreements
        ("", 6),
        # + the divisions' kept counts, the division, topics
        ("?expand=division,topics", 9),
    ],
)
def test_detail_query_budget(api_client, django_assert_num_queries, count, query, queries):
    organisation = member_park(slug="park")
    for number in range(count):
        MembershipFactory(
            organisation=organisation,
            status=Membership.Status.FORMER,
            started_on=datetime.date(2000 + number, 1, 1),
            ended_on=datetime.date(2000 + number, 12, 31),
        )
        PersonFactory(affiliation=organisation)
        ConferenceHostFactory(organisation=organisation)
        AgreementPartyFactory(organisation=organisation)
    refresh_aggregates.call(changed_at=aggregates.clock())

    with django_assert_num_queries(queries):
        response = api_client.get(f"{LIST}park/{query}")

    assert response.status_code == 200
    assert len(response.json()["people"]) == count


# Expansion


def test_expand_gives_the_division_and_topics_in_full(api_client):
    division = DivisionFactory(slug="europe", name="Europe")
    park = member_park(slug="park", division=division)

    response = api_client.get(f"{LIST}?expand=division,topics")

    [row] = response.json()["results"]
    assert row["division"]["slug"] == "europe"
    assert row["division"]["member_count"] == 1
    assert row["division"]["web_url"] == "http://testserver/divisions/europe/"
    assert [topic["slug"] for topic in row["topics"]] == [
        topic.slug for topic in park.topics.order_by("name")
    ]
    assert {topic["organisation_count"] for topic in row["topics"]} == {1}


def test_expand_keeps_a_missing_division_null(api_client):
    OrganisationFactory(division=None)

    [row] = api_client.get(f"{LIST}?expand=division").json()["results"]

    assert row["division"] is None


# CSV


def test_csv_has_one_row_per_organisation_with_references_as_slugs(api_client):
    park = member_park(slug="step", name="STeP", country="TH", latitude=18.8, longitude=98.95)
    topic_slugs = "; ".join(park.topics.order_by("name").values_list("slug", flat=True))
    OrganisationFactory(slug="university", name="University", division=None)

    response = api_client.get(f"{LIST}?format=csv")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="organisation.csv"' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [row["slug"] for row in rows] == ["step", "university"]
    step, university = rows
    assert step["country"] == "TH"
    assert step["country_name"] == "Thailand"
    assert float(step["latitude"]) == 18.8
    assert step["division"] == park.division.slug
    assert step["topics"] == topic_slugs
    assert step["is_member"] == "true"
    assert step["url"] == "http://testserver/api/v1/organisations/step/"
    assert university["division"] == ""
    assert university["is_member"] == "false"
    assert university["membership"] == ""
    assert "contact_email" not in step


# Non-public data


@pytest.mark.parametrize("caller", ["api_client", "partner_client"])
def test_contact_email_is_hidden_from_anonymous_and_partner_callers(request, caller):
    client = request.getfixturevalue(caller)
    OrganisationFactory(slug="park", contact_email="office@park.example")

    listed = client.get(LIST).json()["results"][0]
    detail = client.get(f"{LIST}park/").json()
    csv_header = client.get(f"{LIST}?format=csv").content.decode().splitlines()[0]

    assert "contact_email" not in listed
    assert "contact_email" not in detail
    assert "contact_email" not in csv_header
    assert "office@park.example" not in client.get(f"{LIST}?format=csv").content.decode()


def test_contact_email_reaches_staff_tokens(staff_api_client):
    OrganisationFactory(slug="park", contact_email="office@park.example")

    assert staff_api_client.get(LIST).json()["results"][0]["contact_email"] == (
        "office@park.example"
    )
    assert staff_api_client.get(f"{LIST}park/").json()["contact_email"] == "office@park.example"


def test_organisation_lists_only_public_agreements(staff_api_client):
    park = OrganisationFactory(slug="park")
    public = bilateral_agreement(title="Public cooperation", slug="public")
    hidden = bilateral_agreement(title="Confidential", slug="hidden", is_public=False)
    draft = bilateral_agreement(title="Draft", slug="draft", status=Agreement.Status.DRAFT)
    for agreement in (public, hidden, draft):
        AgreementPartyFactory(agreement=agreement, organisation=park, order=2)

    # Even a staff token: the organisation's page in the API is its public profile.
    agreements = staff_api_client.get(f"{LIST}park/").json()["agreements"]

    assert agreements == [
        {
            "id": public.pk,
            "slug": "public",
            "name": "Public cooperation",
            "url": "http://testserver/api/v1/agreements/public/",
        }
    ]


# Detail


def test_detail_adds_description_history_people_conferences_and_agreements(api_client):
    park = OrganisationFactory(slug="park", description="A park in the north.")
    former = MembershipFactory(
        organisation=park,
        category=Membership.Category.ASSOCIATE,
        status=Membership.Status.FORMER,
        started_on=datetime.date(2005, 1, 1),
        ended_on=datetime.date(2010, 12, 31),
    )
    current = MembershipFactory(organisation=park, started_on=datetime.date(2018, 1, 1))
    person = PersonFactory(slug="ada", name="Ada Lovelace", affiliation=park)
    PersonFactory()
    host = ConferenceHostFactory(organisation=park, conference__slug="world-2025")
    agreement = bilateral_agreement(slug="pact", title="Pact", signed_on=datetime.date(2024, 5, 1))
    AgreementPartyFactory(agreement=agreement, organisation=park, order=2)

    body = api_client.get(f"{LIST}park/").json()

    assert body["description"] == "A park in the north."
    assert body["membership"] == {"category": "full", "member_since": "2018-01-01"}
    assert body["memberships"] == [
        {
            "id": current.pk,
            "category": "full",
            "status": "active",
            "started_on": "2018-01-01",
            "ended_on": None,
        },
        {
            "id": former.pk,
            "category": "associate",
            "status": "former",
            "started_on": "2005-01-01",
            "ended_on": "2010-12-31",
        },
    ]
    assert body["people"] == [
        {
            "id": person.pk,
            "slug": "ada",
            "name": "Ada Lovelace",
            "url": "http://testserver/api/v1/people/ada/",
        }
    ]
    assert body["conferences_hosted"] == [
        {
            "id": host.conference.pk,
            "slug": "world-2025",
            "name": host.conference.title,
            "url": "http://testserver/api/v1/conferences/world-2025/",
        }
    ]
    assert [reference["slug"] for reference in body["agreements"]] == ["pact"]


def test_unknown_organisation_is_a_404(api_client):
    response = api_client.get(f"{LIST}nowhere/")

    assert response.status_code == 404
    assert response.json()["errors"][0]["code"] == "not_found"
