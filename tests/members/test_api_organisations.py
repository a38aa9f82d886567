"""/api/v1/organisations/: members and non-members, their filters, shapes, formats and writes."""

import csv
import datetime
import io

import pytest

from agreements.models import Agreement
from members.models import Membership, Organisation
from tests.api_support import error_attrs
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

pytestmark = pytest.mark.django_db

LIST = "/api/v1/organisations/"


def slugs(response) -> list[str]:
    return [row["slug"] for row in response.json()["results"]]


def member_park(**kwargs) -> Organisation:
    """A current full member with two topics."""
    organisation = OrganisationFactory(**kwargs)
    organisation.topics.add(TopicFactory(), TopicFactory())
    MembershipFactory(organisation=organisation, started_on=datetime.date(2019, 3, 1))
    return organisation


def former_member(**kwargs) -> Organisation:
    organisation = OrganisationFactory(**kwargs)
    MembershipFactory(
        organisation=organisation,
        status=Membership.Status.FORMER,
        started_on=datetime.date(2010, 1, 1),
        ended_on=datetime.date(2015, 12, 31),
    )
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


# Filters


@pytest.fixture
def organisations():
    """Four organisations differing in every filtered field."""
    asia = DivisionFactory(slug="asia-pacific")
    europe = DivisionFactory(slug="europe")
    energy = TopicFactory(slug="energy")
    health = TopicFactory(slug="health")
    step = OrganisationFactory(slug="step", country="TH", division=asia)
    step.topics.add(energy)
    MembershipFactory(organisation=step, category=Membership.Category.FULL)
    mjolk = OrganisationFactory(slug="mjolk", country="SE", division=europe)
    mjolk.topics.add(energy, health)
    MembershipFactory(organisation=mjolk, category=Membership.Category.AFFILIATED)
    former = former_member(slug="former", country="SE", division=europe)
    former.topics.add(health)
    OrganisationFactory(
        slug="university", country="TH", division=None, kind=Organisation.Kind.UNIVERSITY
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("country=TH", ["step", "university"]),
        ("country=SE", ["mjolk", "former"]),
        ("division=europe", ["mjolk", "former"]),
        ("kind=university", ["university"]),
        ("kind=science_park", ["step", "mjolk", "former"]),
        ("category=full", ["step"]),
        ("category=affiliated", ["mjolk"]),
        ("category=honorary", []),
        ("topic=energy", ["step", "mjolk"]),
        ("topic=health", ["mjolk", "former"]),
        ("member=true", ["step", "mjolk"]),
        ("member=false", ["former", "university"]),
        ("member=1", ["step", "mjolk"]),
        ("member=FALSE", ["former", "university"]),
        ("member=true&country=SE", ["mjolk"]),
        ("topic=energy&division=asia-pacific", ["step"]),
    ],
)
def test_filters_select_organisations(api_client, organisations, query, expected):
    response = api_client.get(f"{LIST}?{query}")

    assert response.status_code == 200
    assert sorted(slugs(response)) == sorted(expected)
    assert response.json()["count"] == len(expected)


@pytest.mark.parametrize(
    ("query", "attr"),
    [
        ("country=XX", "country"),
        ("country=th", "country"),
        ("division=atlantis", "division"),
        ("kind=spaceport", "kind"),
        ("category=gold", "category"),
        ("topic=no-such-topic", "topic"),
        ("topic=energy%00", "topic"),
        ("member=maybe", "member"),
        ("member=yes", "member"),
        ("q=step", "q"),
        ("ordering=city", "ordering"),
        ("expand=people", "expand"),
    ],
)
def test_bad_filter_is_a_400_naming_it(api_client, organisations, query, attr):
    response = api_client.get(f"{LIST}?{query}")

    assert response.status_code == 400
    body = response.json()
    assert body["type"] == "validation_error"
    assert error_attrs(response) == [attr]


def test_search_looks_in_name_short_name_and_city(api_client):
    OrganisationFactory(slug="step", name="Science and Technology Park", short_name="CMU STeP")
    OrganisationFactory(slug="ideon", name="Ideon", city="Lund")
    OrganisationFactory(slug="kista", name="Kista Science City", city="Stockholm")

    assert slugs(api_client.get(f"{LIST}?search=cmu")) == ["step"]
    assert slugs(api_client.get(f"{LIST}?search=lund")) == ["ideon"]
    assert slugs(api_client.get(f"{LIST}?search=science&ordering=name")) == ["kista", "step"]
    assert slugs(api_client.get(f"{LIST}?search=nowhere")) == []


def test_ordering_by_name_country_and_modified(api_client):
    OrganisationFactory(slug="b", name="Beta", country="SE")
    OrganisationFactory(slug="a", name="Alpha", country="TH")
    OrganisationFactory(slug="c", name="Gamma", country="CN")

    assert slugs(api_client.get(LIST)) == ["a", "b", "c"]
    assert slugs(api_client.get(f"{LIST}?ordering=-name")) == ["c", "b", "a"]
    assert slugs(api_client.get(f"{LIST}?ordering=country")) == ["c", "b", "a"]
    assert slugs(api_client.get(f"{LIST}?ordering=-modified")) == ["c", "a", "b"]


# Paging


def test_pages_give_count_next_and_previous(api_client):
    for number in range(5):
        OrganisationFactory(slug=f"park-{number}", name=f"Park {number}")

    first = api_client.get(f"{LIST}?page_size=2").json()
    last = api_client.get(f"{LIST}?page_size=2&page=3").json()

    assert first["count"] == 5
    assert first["previous"] is None
    assert first["next"] == f"http://testserver{LIST}?page=2&page_size=2"
    assert [row["slug"] for row in first["results"]] == ["park-0", "park-1"]
    assert last["next"] is None
    assert last["previous"] == f"http://testserver{LIST}?page=2&page_size=2"
    assert [row["slug"] for row in last["results"]] == ["park-4"]


def test_paging_in_a_tied_order_gives_every_record_once(api_client):
    created = {OrganisationFactory(country="SE").slug for _ in range(7)}

    seen = []
    url = f"{LIST}?ordering=country&page_size=3"
    while url:
        page = api_client.get(url).json()
        seen += [row["slug"] for row in page["results"]]
        url = page["next"]

    assert sorted(seen) == sorted(created)
    assert len(seen) == 7


@pytest.mark.parametrize(("size", "status"), [(200, 200), (201, 400)])
def test_page_size_is_capped_at_200(api_client, size, status):
    OrganisationFactory()

    response = api_client.get(f"{LIST}?page_size={size}")

    assert response.status_code == status
    if status == 400:
        assert error_attrs(response) == ["page_size"]


def test_modified_since_gives_only_what_changed(api_client):
    old = OrganisationFactory(slug="old")
    Organisation.objects.filter(pk=old.pk).update(
        modified=datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
    )
    OrganisationFactory(slug="new")

    response = api_client.get(f"{LIST}?modified_since=2025-01-01T00:00:00Z")

    assert slugs(response) == ["new"]


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
        # + divisions with their counts
        ("?expand=division", 4),
        # + topics with their counts
        ("?expand=topics", 4),
        ("?expand=division,topics", 5),
        # + the topic looked up by its slug
        ("?topic=energy&member=true&category=full&country=SE", 4),
        ("?format=csv", 3),
    ],
)
def test_list_query_budget(api_client, django_assert_num_queries, count, query, queries):
    many_organisations(count)

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
        ("?expand=division,topics", 8),
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


# Writes


def new_organisation(**overrides) -> dict:
    data = {
        "name": "Tsinghua University Science Park",
        "short_name": "TusPark",
        "slug": "tuspark",
        "kind": "science_park",
        "country": "CN",
        "city": "Beijing",
        "latitude": 40.0,
        "longitude": 116.33,
        "website": "https://www.tuspark.example/",
        "contact_email": "office@tuspark.example",
        "description": "One of the largest parks.",
        "ror_id": "03cve4549",
        "wikidata_id": "Q7850744",
    }
    return {**data, **overrides}


def test_staff_token_creates_an_organisation(staff_api_client):
    division = DivisionFactory(slug="asia-pacific")
    TopicFactory(slug="energy", name="Energy")
    TopicFactory(slug="health", name="Health")

    response = staff_api_client.post(
        LIST,
        new_organisation(division="asia-pacific", topics=["energy", "health"]),
        format="json",
    )

    assert response.status_code == 201
    saved = Organisation.objects.get(slug="tuspark")
    assert saved.name == "Tsinghua University Science Park"
    assert saved.country.code == "CN"
    assert float(saved.latitude) == 40.0
    assert saved.division == division
    assert saved.contact_email == "office@tuspark.example"
    assert sorted(saved.topics.values_list("slug", flat=True)) == ["energy", "health"]
    body = response.json()
    assert body["url"] == "http://testserver/api/v1/organisations/tuspark/"
    assert body["division"]["slug"] == "asia-pacific"
    assert [topic["slug"] for topic in body["topics"]] == ["energy", "health"]
    assert body["contact_email"] == "office@tuspark.example"
    assert body["memberships"] == []
    assert body["is_member"] is False


def test_staff_token_updates_an_organisation(staff_api_client):
    park = OrganisationFactory(slug="park", city="Lund")
    park.topics.add(TopicFactory(slug="old"))
    TopicFactory(slug="new")

    response = staff_api_client.patch(
        f"{LIST}park/",
        {"city": "Malmö", "topics": ["new"], "division": None},
        format="json",
    )

    assert response.status_code == 200
    park.refresh_from_db()
    assert park.city == "Malmö"
    assert park.division is None
    assert list(park.topics.values_list("slug", flat=True)) == ["new"]
    assert response.json()["city"] == "Malmö"


def test_staff_token_replaces_an_organisation(staff_api_client):
    OrganisationFactory(slug="park")

    response = staff_api_client.put(f"{LIST}park/", new_organisation(slug="park"), format="json")

    assert response.status_code == 200
    assert Organisation.objects.get(slug="park").name == "Tsinghua University Science Park"


@pytest.mark.parametrize(
    ("overrides", "attr"),
    [
        ({"kind": "spaceport"}, "kind"),
        ({"country": "XX"}, "country"),
        ({"name": ""}, "name"),
        ({"latitude": 95}, "latitude"),
        ({"longitude": None}, "longitude"),
        ({"latitude": None}, "latitude"),
        ({"ror_id": "not-a-ror"}, "ror_id"),
        ({"wikidata_id": "P31"}, "wikidata_id"),
        ({"website": "not a url"}, "website"),
        ({"contact_email": "nobody"}, "contact_email"),
        ({"division": "atlantis"}, "division"),
        ({"topics": ["no-such-topic"]}, "topics"),
        ({"slug": "has spaces"}, "slug"),
    ],
)
def test_invalid_organisation_is_a_400_naming_the_field(staff_api_client, overrides, attr):
    response = staff_api_client.post(LIST, new_organisation(**overrides), format="json")

    assert response.status_code == 400
    assert response.json()["type"] == "validation_error"
    assert attr in error_attrs(response)
    assert not Organisation.objects.exists()


@pytest.mark.parametrize(
    ("existing", "overrides", "attr"),
    [
        # Names are unique per country, whatever the case.
        ({"name": "TSINGHUA university science park", "country": "CN"}, {}, "name"),
        ({"slug": "tuspark"}, {}, "slug"),
        ({"ror_id": "03cve4549"}, {}, "ror_id"),
        ({"wikidata_id": "Q7850744"}, {}, "wikidata_id"),
    ],
)
def test_duplicate_organisation_is_a_400_naming_the_field(
    staff_api_client, existing, overrides, attr
):
    OrganisationFactory(**existing)

    response = staff_api_client.post(LIST, new_organisation(**overrides), format="json")

    assert response.status_code == 400
    assert error_attrs(response) == [attr]
    assert response.json()["errors"][0]["code"] == "unique"
    assert Organisation.objects.count() == 1


def test_same_name_in_another_country_is_allowed(staff_api_client):
    OrganisationFactory(name="Tsinghua University Science Park", country="SE")

    response = staff_api_client.post(LIST, new_organisation(), format="json")

    assert response.status_code == 201


def test_update_keeps_its_own_name_and_checks_coordinates_against_the_record(staff_api_client):
    OrganisationFactory(slug="park", name="Park", latitude=10, longitude=20)

    renamed = staff_api_client.patch(f"{LIST}park/", {"name": "Park"}, format="json")
    half = staff_api_client.patch(f"{LIST}park/", {"longitude": None}, format="json")

    assert renamed.status_code == 200
    assert half.status_code == 400
    assert half.json()["errors"] == [
        {
            "code": "both_or_neither",
            "detail": "Give both latitude and longitude, or neither.",
            "attr": "longitude",
        }
    ]


def test_anonymous_callers_cannot_write(api_client):
    OrganisationFactory(slug="park")

    created = api_client.post(LIST, new_organisation(), format="json")
    updated = api_client.patch(f"{LIST}park/", {"city": "X"}, format="json")

    assert created.status_code == 401
    assert updated.status_code == 401
    assert created.json()["errors"][0]["code"] == "not_authenticated"
    assert Organisation.objects.get(slug="park").city == "Linköping"


def test_partner_tokens_cannot_write(partner_client):
    OrganisationFactory(slug="park")

    created = partner_client.post(LIST, new_organisation(), format="json")
    updated = partner_client.patch(f"{LIST}park/", {"city": "X"}, format="json")

    assert created.status_code == 403
    assert updated.status_code == 403
    assert created.json()["errors"][0]["code"] == "permission_denied"
    assert not Organisation.objects.filter(slug="tuspark").exists()


def test_organisations_cannot_be_deleted_through_the_api(staff_api_client):
    OrganisationFactory(slug="park")

    response = staff_api_client.delete(f"{LIST}park/")

    assert response.status_code == 405
    assert Organisation.objects.filter(slug="park").exists()
