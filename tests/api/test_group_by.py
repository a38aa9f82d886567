"""`?group_by=` on the lists: counts of the records by a field, after the filters, over what
the caller may see."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from agreements.models import Agreement
from conferences.models import Conference, Session
from members.models import Membership, Organisation
from tests.api_support import errors
from tests.factories import (
    AgreementFactory,
    AgreementPartyFactory,
    ConferenceFactory,
    DivisionFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    SessionFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

ORGANISATIONS = reverse("api:organisation-list")
CONFERENCES = reverse("api:conference-list")
AGREEMENTS = reverse("api:agreement-list")
PEOPLE = reverse("api:person-list")
SESSIONS = reverse("api:session-list")
MEMBERSHIPS = reverse("api:membership-list")


def groups(response) -> list[tuple]:
    assert response.status_code == 200, response.content
    return [(group["value"], group["label"], group["count"]) for group in response.json()["groups"]]


def total(response) -> int:
    return response.json()["total"]


# Organisations


@pytest.fixture
def topics():
    return [
        TopicFactory(slug="energy", name="Energy"),
        TopicFactory(slug="health", name="Health"),
        TopicFactory(slug="water", name="Water"),
    ]


@pytest.fixture
def organisations(topics):
    energy, health, water = topics
    north = DivisionFactory(slug="north", name="North")
    south = DivisionFactory(slug="south", name="South")
    many = OrganisationFactory(country="PT", division=north, kind=Organisation.Kind.UNIVERSITY)
    many.topics.add(energy, health, water)
    two = OrganisationFactory(country="PT", division=south)
    two.topics.add(energy)
    OrganisationFactory(country="SE", division=None)
    return many, two


def test_organisations_by_country(api_client, organisations):
    response = api_client.get(ORGANISATIONS, {"group_by": "country"})

    assert response.json()["group_by"] == "country"
    assert groups(response) == [("PT", "Portugal", 2), ("SE", "Sweden", 1)]
    assert total(response) == 3


def test_organisations_by_division_with_those_without_one(api_client, organisations):
    response = api_client.get(ORGANISATIONS, {"group_by": "division"})

    # Equal counts by value, the records without one last.
    assert groups(response) == [("north", "North", 1), ("south", "South", 1), (None, None, 1)]


def test_organisations_by_kind(api_client, organisations):
    response = api_client.get(ORGANISATIONS, {"group_by": "kind"})

    assert groups(response) == [
        ("science_park", "Science park", 2),
        ("university", "University", 1),
    ]


def test_organisations_by_topic_count_each_of_several_topics(api_client, organisations):
    response = api_client.get(ORGANISATIONS, {"group_by": "topic"})

    assert groups(response) == [
        ("energy", "Energy", 2),
        ("health", "Health", 1),
        ("water", "Water", 1),
        (None, None, 1),
    ]
    assert total(response) == 3


def test_organisations_filters_apply_first_and_do_not_narrow_the_groups(api_client, organisations):
    response = api_client.get(ORGANISATIONS, {"group_by": "topic", "topic": "energy"})

    # Both organisations on energy, counted under each of their topics.
    assert groups(response) == [
        ("energy", "Energy", 2),
        ("health", "Health", 1),
        ("water", "Water", 1),
    ]
    assert total(response) == 2


def test_organisations_search_applies_first(api_client, organisations):
    many, _two = organisations

    response = api_client.get(ORGANISATIONS, {"group_by": "country", "search": many.name})

    assert groups(response) == [("PT", "Portugal", 1)]


def test_nothing_to_count_is_no_group(api_client):
    response = api_client.get(ORGANISATIONS, {"group_by": "country"})

    assert response.json() == {"group_by": "country", "total": 0, "groups": []}


# Conferences


@pytest.fixture
def conferences():
    division = DivisionFactory(slug="asia", name="Asia")
    ConferenceFactory(
        country="CN", start_date=datetime.date(2024, 12, 30), end_date=datetime.date(2025, 1, 2)
    )
    ConferenceFactory(country="CN", division=division, kind=Conference.Kind.DIVISION)
    ConferenceFactory(country="PT", status=Conference.Status.PLANNED)
    ConferenceFactory(country="FR", is_published=False)


def test_conferences_by_year_they_start(api_client, conferences):
    assert groups(api_client.get(CONFERENCES, {"group_by": "year"})) == [
        ("2025", "2025", 2),
        ("2024", "2024", 1),
    ]


@pytest.mark.parametrize("caller", ["api_client", "partner_client"])
def test_conferences_by_country_leave_out_drafts(caller, request, conferences):
    client = request.getfixturevalue(caller)

    assert groups(client.get(CONFERENCES, {"group_by": "country"})) == [
        ("CN", "China", 2),
        ("PT", "Portugal", 1),
    ]


def test_conferences_by_country_count_drafts_for_staff(staff_api_client, conferences):
    response = staff_api_client.get(CONFERENCES, {"group_by": "country"})

    assert groups(response) == [("CN", "China", 2), ("FR", "France", 1), ("PT", "Portugal", 1)]
    assert total(response) == 4


def test_conferences_by_kind_status_and_division(api_client, conferences):
    assert groups(api_client.get(CONFERENCES, {"group_by": "kind"})) == [
        ("world", "World conference", 2),
        ("division", "Division conference", 1),
    ]
    assert groups(api_client.get(CONFERENCES, {"group_by": "status"})) == [
        ("held", "Held", 2),
        ("planned", "Planned", 1),
    ]
    assert groups(api_client.get(CONFERENCES, {"group_by": "division"})) == [
        (None, None, 2),
        ("asia", "Asia", 1),
    ]


def test_conferences_filter_first(api_client, conferences):
    response = api_client.get(CONFERENCES, {"group_by": "year", "country": "CN"})

    assert groups(response) == [("2024", "2024", 1), ("2025", "2025", 1)]


# Agreements


@pytest.fixture
def agreements(topics):
    energy, health, _water = topics
    north = DivisionFactory(slug="north", name="North")
    lisbon = OrganisationFactory(country="PT", division=north)
    porto = OrganisationFactory(country="PT", division=north)
    uppsala = OrganisationFactory(country="SE", division=None)

    def agreement(parties, topics=(), **kwargs):
        record = AgreementFactory(**kwargs)
        for order, party in enumerate(parties):
            AgreementPartyFactory(agreement=record, organisation=party, order=order)
        record.topics.add(*topics)
        return record

    # Two countries: counted under each, once under PT although two parties are there.
    agreement([lisbon, porto, uppsala], [energy, health], signed_on=datetime.date(2023, 5, 1))
    agreement([lisbon, porto], [energy], kind=Agreement.Kind.MOU)
    agreement([porto, uppsala], status=Agreement.Status.ACTIVE)
    agreement([lisbon, uppsala], [energy], is_public=False)
    agreement([lisbon, uppsala], status=Agreement.Status.DRAFT, signed_on=None)


def test_agreements_by_country_of_a_party(api_client, agreements):
    response = api_client.get(AGREEMENTS, {"group_by": "country"})

    assert groups(response) == [("PT", "Portugal", 3), ("SE", "Sweden", 2)]
    assert total(response) == 3


def test_agreements_by_country_with_a_filter(api_client, agreements):
    response = api_client.get(AGREEMENTS, {"group_by": "country", "topic": "energy"})

    assert groups(response) == [("PT", "Portugal", 2), ("SE", "Sweden", 1)]
    assert total(response) == 2


def test_agreements_by_division_of_a_party(api_client, agreements):
    assert groups(api_client.get(AGREEMENTS, {"group_by": "division"})) == [
        ("north", "North", 3),
        (None, None, 2),
    ]


def test_agreements_by_year_kind_status_and_topic(api_client, agreements):
    assert groups(api_client.get(AGREEMENTS, {"group_by": "year"})) == [
        ("2025", "2025", 2),
        ("2023", "2023", 1),
    ]
    assert groups(api_client.get(AGREEMENTS, {"group_by": "kind"})) == [
        ("cooperation", "Cooperation agreement", 2),
        ("mou", "Memorandum of understanding", 1),
    ]
    assert groups(api_client.get(AGREEMENTS, {"group_by": "status"})) == [
        ("signed", "Signed", 2),
        ("active", "Active", 1),
    ]
    assert groups(api_client.get(AGREEMENTS, {"group_by": "topic"})) == [
        ("energy", "Energy", 2),
        ("health", "Health", 1),
        (None, None, 1),
    ]


def test_agreements_private_and_drafts_left_out_for_partners(partner_client, agreements):
    response = partner_client.get(AGREEMENTS, {"group_by": "status"})

    assert groups(response) == [("signed", "Signed", 2), ("active", "Active", 1)]


def test_agreements_private_and_drafts_counted_for_staff(staff_api_client, agreements):
    response = staff_api_client.get(AGREEMENTS, {"group_by": "year"})

    assert groups(response) == [("2025", "2025", 3), ("2023", "2023", 1), (None, None, 1)]
    assert total(response) == 5


# People, sessions, memberships


@pytest.fixture
def people():
    PersonFactory(country="PT")
    PersonFactory(country="")
    PersonFactory(country="PT", removed_at=timezone.now())


@pytest.mark.parametrize("caller", ["api_client", "partner_client"])
def test_people_by_country_without_the_removed(caller, request, people):
    client = request.getfixturevalue(caller)

    # A blank country is no country.
    assert groups(client.get(PEOPLE, {"group_by": "country"})) == [
        ("PT", "Portugal", 1),
        (None, None, 1),
    ]


def test_people_by_country_with_the_removed_for_staff(staff_api_client, people):
    assert groups(staff_api_client.get(PEOPLE, {"group_by": "country"})) == [
        ("PT", "Portugal", 2),
        (None, None, 1),
    ]


@pytest.fixture
def sessions(topics):
    energy, health, _water = topics
    conference = ConferenceFactory()
    SessionFactory(conference=conference).topics.add(energy, health)
    SessionFactory(conference=conference, kind=Session.Kind.SOCIAL)
    SessionFactory(conference=conference, is_published=False)
    SessionFactory(conference=ConferenceFactory(is_published=False))


def test_sessions_by_kind_and_topic_without_drafts(api_client, sessions):
    assert groups(api_client.get(SESSIONS, {"group_by": "kind"})) == [
        ("plenary", "Plenary session", 1),
        ("social", "Social event", 1),
    ]
    assert groups(api_client.get(SESSIONS, {"group_by": "topic"})) == [
        ("energy", "Energy", 1),
        ("health", "Health", 1),
        (None, None, 1),
    ]


def test_sessions_by_kind_with_drafts_for_staff(staff_api_client, sessions):
    assert total(staff_api_client.get(SESSIONS, {"group_by": "kind"})) == 4


def test_memberships_by_category_and_status(api_client):
    MembershipFactory()
    MembershipFactory(category=Membership.Category.ASSOCIATE)
    MembershipFactory(category=Membership.Category.ASSOCIATE, status=Membership.Status.PENDING)

    assert groups(api_client.get(MEMBERSHIPS, {"group_by": "category"})) == [
        ("associate", "Associate member", 2),
        ("full", "Full member", 1),
    ]
    assert [group[0] for group in groups(api_client.get(MEMBERSHIPS, {"group_by": "status"}))] == [
        "active",
        "pending",
    ]


# Refused


@pytest.mark.parametrize(
    "url", [ORGANISATIONS, CONFERENCES, AGREEMENTS, PEOPLE, SESSIONS, MEMBERSHIPS]
)
@pytest.mark.parametrize("value", ["", "name", "Country", "country,kind", "topic\x00"])
def test_an_unknown_field_is_a_400(api_client, url, value):
    if url == ORGANISATIONS and value == "Country":
        value = "COUNTRY"

    response = api_client.get(url, {"group_by": value})

    assert response.status_code == 400
    assert errors(response) == [("group_by", "invalid_choice")]


def test_an_unknown_field_names_the_fields_taken(api_client):
    response = api_client.get(AGREEMENTS, {"group_by": "party"})

    assert "country, division, kind, status, topic, year" in response.json()["errors"][0]["detail"]


@pytest.mark.parametrize(
    "parameter, value",
    [("page", "1"), ("page_size", "10"), ("ordering", "name"), ("expand", "division")],
)
def test_paging_ordering_and_expansion_are_refused_with_group_by(api_client, parameter, value):
    response = api_client.get(ORGANISATIONS, {"group_by": "country", parameter: value})

    assert response.status_code == 400
    assert errors(response) == [(parameter, "not_with_group_by")]


def test_a_calendar_of_counts_is_refused(api_client):
    response = api_client.get(CONFERENCES, {"group_by": "year", "format": "ics"})

    assert errors(response) == [("format", "not_with_group_by")]


def test_a_bad_filter_beside_group_by_is_still_named(api_client):
    response = api_client.get(ORGANISATIONS, {"group_by": "country", "topic": "no-such-topic"})

    assert [attr for attr, _code in errors(response)] == ["topic"]


def test_group_by_is_not_a_parameter_of_a_record(api_client):
    organisation = OrganisationFactory()

    response = api_client.get(f"{ORGANISATIONS}{organisation.slug}/", {"group_by": "country"})

    assert errors(response) == [("group_by", "unknown_parameter")]


def test_lists_without_fields_to_count_by_do_not_take_it(api_client):
    response = api_client.get(reverse("api:topic-list"), {"group_by": "name"})

    assert errors(response) == [("group_by", "unknown_parameter")]


# Formats, caching


def test_counts_as_csv(api_client, organisations):
    response = api_client.get(ORGANISATIONS, {"group_by": "topic", "format": "csv"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="organisation-by-topic.csv"' in response["Content-Disposition"]
    assert response.content.decode().split("\r\n") == [
        "value,label,count",
        "energy,Energy,2",
        "health,Health,1",
        "water,Water,1",
        ",,1",
        "",
    ]


def test_counts_of_conferences_as_csv(api_client, conferences):
    response = api_client.get(CONFERENCES, {"group_by": "country", "format": "csv"})

    assert response.content.decode().split("\r\n")[:2] == ["value,label,count", "CN,China,2"]


def test_anonymous_counts_are_cached_until_a_change(api_client, organisations, settings):
    settings.PAGE_CACHE_SECONDS = 60
    first = api_client.get(ORGANISATIONS, {"group_by": "country"})
    again = api_client.get(ORGANISATIONS, {"group_by": "country"})

    assert first["X-Cache"] == "miss"
    assert again["X-Cache"] == "hit"
    assert again.json() == first.json()
    assert first["ETag"]

    OrganisationFactory(country="FR")
    changed = api_client.get(ORGANISATIONS, {"group_by": "country"})

    assert ("FR", "France", 1) in groups(changed)


def test_counts_answer_a_conditional_request_with_304(api_client, organisations):
    first = api_client.get(ORGANISATIONS, {"group_by": "country"})

    again = api_client.get(ORGANISATIONS, {"group_by": "country"}, HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304


# Query budgets: one query whatever the number of rows (the filters' own lookups aside).


def many_organisations(rows: int) -> None:
    topics = [TopicFactory() for _ in range(3)]
    for index in range(rows):
        organisation = OrganisationFactory(country=["PT", "SE", "FR"][index % 3])
        organisation.topics.add(*topics[: index % 3 + 1])


def many_agreements(rows: int) -> None:
    for index in range(rows):
        agreement = AgreementFactory(signed_on=datetime.date(2020 + index % 3, 1, 1))
        for order in range(3):
            AgreementPartyFactory(agreement=agreement, order=order)
        agreement.topics.add(TopicFactory())


@pytest.mark.parametrize("rows", [1, 6])
@pytest.mark.parametrize("field", ["country", "division", "kind", "topic"])
def test_organisation_counts_query_budget(api_client, django_assert_num_queries, rows, field):
    many_organisations(rows)

    with django_assert_num_queries(1):
        response = api_client.get(ORGANISATIONS, {"group_by": field})

    assert total(response) == rows


@pytest.mark.parametrize("rows", [1, 6])
@pytest.mark.parametrize("field", ["year", "country", "division", "kind", "status", "topic"])
def test_agreement_counts_query_budget(api_client, django_assert_num_queries, rows, field):
    many_agreements(rows)

    with django_assert_num_queries(1):
        response = api_client.get(AGREEMENTS, {"group_by": field})

    assert total(response) == rows


@pytest.mark.parametrize("rows", [1, 6])
def test_agreement_counts_with_a_filter_query_budget(api_client, django_assert_num_queries, rows):
    many_agreements(rows)
    TopicFactory(slug="energy")

    # The topic's slug is looked up, then the counts.
    with django_assert_num_queries(2):
        response = api_client.get(AGREEMENTS, {"group_by": "country", "topic": "energy"})

    assert total(response) == 0


@pytest.mark.parametrize("rows", [1, 6])
@pytest.mark.parametrize(
    "url, field",
    [
        (CONFERENCES, "year"),
        (CONFERENCES, "division"),
        (PEOPLE, "country"),
        (SESSIONS, "topic"),
        (MEMBERSHIPS, "category"),
    ],
)
def test_other_counts_query_budget(api_client, django_assert_num_queries, rows, url, field):
    for _ in range(rows):
        SessionFactory(conference=ConferenceFactory()).topics.add(TopicFactory())
        MembershipFactory()
        PersonFactory()

    with django_assert_num_queries(1):
        response = api_client.get(url, {"group_by": field})

    assert response.status_code == 200


@pytest.mark.parametrize("rows", [1, 6])
def test_staff_counts_query_budget(staff_api_client, django_assert_num_queries, rows, settings):
    many_agreements(rows)
    staff_api_client.get(AGREEMENTS)  # the token's last use is recorded at most once a while

    # One more: the token, with its user and organisation.
    with django_assert_num_queries(2):
        response = staff_api_client.get(AGREEMENTS, {"group_by": "country"})

    assert response.status_code == 200


# The schema


@pytest.fixture(scope="module")
def schema(django_db_blocker) -> dict:
    from drf_spectacular.generators import SchemaGenerator

    with django_db_blocker.unblock():
        return SchemaGenerator().get_schema(request=None, public=True)


@pytest.mark.parametrize(
    "path, fields",
    [
        ("/api/v1/organisations/", ["country", "division", "kind", "topic"]),
        ("/api/v1/conferences/", ["country", "division", "kind", "status", "year"]),
        ("/api/v1/agreements/", ["country", "division", "kind", "status", "topic", "year"]),
        ("/api/v1/people/", ["country"]),
        ("/api/v1/sessions/", ["kind", "topic"]),
        ("/api/v1/memberships/", ["category", "status"]),
    ],
)
def test_schema_documents_group_by(schema, path, fields):
    operation = schema["paths"][path]["get"]
    parameter = next(p for p in operation["parameters"] if p["name"] == "group_by")
    answer = operation["responses"]["200"]["content"]["application/json"]["schema"]

    assert parameter["schema"]["enum"] == fields
    assert answer["oneOf"][1] == {"$ref": "#/components/schemas/Groups"}
    assert answer["oneOf"][0]["$ref"].startswith("#/components/schemas/Paginated")


def test_schema_says_which_fields_count_a_record_in_several_groups(schema):
    operation = schema["paths"]["/api/v1/agreements/"]["get"]
    parameter = next(p for p in operation["parameters"] if p["name"] == "group_by")

    assert (
        "country: each country of its parties (a record may count in several groups)."
        in (parameter["description"])
    )
    assert "kind: its kind." in parameter["description"]


def test_schema_documents_the_groups_and_their_errors(schema):
    components = schema["components"]["schemas"]
    groups = components["Groups"]
    group = components["Group"]

    assert sorted(groups["required"]) == ["group_by", "groups", "total"]
    assert group["properties"]["value"]["nullable"] is True
    assert "group_by" not in {
        p["name"] for p in schema["paths"]["/api/v1/topics/"]["get"]["parameters"]
    }
    for name in ("Page", "PageSize", "Ordering", "Expand"):
        error = components[f"OrganisationsList{name}ErrorComponent"]["properties"]["code"]
        assert "not_with_group_by" in error["enum"], name
    assert components["ConferencesListFormatErrorComponent"]["properties"]["code"]["enum"] == [
        "invalid_choice",
        "not_with_group_by",
    ]
    by = components["OrganisationsListGroupByErrorComponent"]["properties"]
    assert (by["attr"]["enum"], by["code"]["enum"]) == (["group_by"], ["invalid_choice"])
