"""The /api/v1/agreements/ read endpoints: shapes, audiences, filters, search, order, formats."""

import csv
import datetime
import io

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from agreements.models import Agreement
from tests.factories import (
    AgreementFactory,
    AgreementPartyFactory,
    ConferenceFactory,
    DivisionFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    TopicFactory,
    agreement_between,
)

pytestmark = pytest.mark.django_db

LIST_URL = reverse("api:agreement-list")
BASE = "http://testserver"


def detail_url(agreement: Agreement) -> str:
    return reverse("api:agreement-detail", kwargs={"slug": agreement.slug})


def pdf(name: str = "signed.pdf") -> ContentFile:
    return ContentFile(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n", name=name)


def slugs(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["slug"] for row in response.json()["results"]]


def error_attrs(response) -> list[str]:
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["type"] == "validation_error"
    return [error["attr"] for error in body["errors"]]


def reference(path: str, obj, name: str) -> dict:
    return {"id": obj.pk, "slug": obj.slug, "name": name, "url": f"{BASE}{path}{obj.slug}/"}


# Shapes


def test_agreement_list_shows_the_list_shape(api_client):
    conference = ConferenceFactory(title="World Conference 42")
    step = OrganisationFactory(name="CMU STeP", slug="cmu-step", country="TH")
    taguspark = OrganisationFactory(name="Taguspark", slug="taguspark", country="PT")
    signatory = PersonFactory(name="Ana Silva", slug="ana-silva")
    energy = TopicFactory(name="Energy efficiency", slug="energy-efficiency")
    agreement = AgreementFactory(
        title="STeP and Taguspark cooperation",
        slug="step-taguspark",
        kind=Agreement.Kind.MOU,
        status=Agreement.Status.ACTIVE,
        signed_on=datetime.date(2024, 6, 3),
        signed_city="Lisbon",
        signed_country="PT",
        signed_at_conference=conference,
        effective_on=datetime.date(2024, 7, 1),
        expires_on=datetime.date(2099, 6, 30),
        summary="Exchange of start-ups.",
        source_url="https://example.org/news",
    )
    AgreementPartyFactory(agreement=agreement, organisation=step, order=0, reference_number="S-1")
    AgreementPartyFactory(agreement=agreement, organisation=taguspark, order=1, signatory=signatory)
    agreement.topics.add(energy)

    response = api_client.get(LIST_URL)

    assert response.status_code == 200
    body = response.json()
    assert (body["count"], body["next"], body["previous"]) == (1, None, None)
    row = body["results"][0]
    assert row == {
        "id": agreement.pk,
        "slug": "step-taguspark",
        "title": "STeP and Taguspark cooperation",
        "kind": "mou",
        "status": "active",
        "signed_on": "2024-06-03",
        "signed_city": "Lisbon",
        "signed_country": "PT",
        "signed_country_name": "Portugal",
        "signed_at_conference": {
            "id": conference.pk,
            "slug": conference.slug,
            "name": "World Conference 42",
            "url": f"{BASE}/api/v1/conferences/{conference.slug}/",
        },
        "effective_on": "2024-07-01",
        "expires_on": "2099-06-30",
        "is_in_force": True,
        "parties": [
            {
                "organisation": reference("/api/v1/organisations/", step, "CMU STeP"),
                "reference_number": "S-1",
                "signatory": None,
            },
            {
                "organisation": reference("/api/v1/organisations/", taguspark, "Taguspark"),
                "reference_number": "",
                "signatory": reference("/api/v1/people/", signatory, "Ana Silva"),
            },
        ],
        "topics": [reference("/api/v1/topics/", energy, "Energy efficiency")],
        "document": None,
        "source_url": "https://example.org/news",
        "url": f"{BASE}/api/v1/agreements/step-taguspark/",
        "web_url": f"{BASE}/agreements/step-taguspark/",
        "created": row["created"],
        "modified": row["modified"],
    }
    assert "summary" not in row


def test_agreement_detail_adds_the_summary(api_client):
    agreement = agreement_between(
        OrganisationFactory(), OrganisationFactory(), summary="Joint incubation programme."
    )

    response = api_client.get(detail_url(agreement))

    assert response.status_code == 200
    body = response.json()
    assert body["summary"] == "Joint incubation programme."
    assert body["slug"] == agreement.slug
    assert body["signed_at_conference"] is None
    assert body["signed_country"] == ""
    assert body["signed_country_name"] == ""
    assert body["source_url"] == ""
    assert "is_public" not in body


def test_agreement_not_in_force_once_expired(api_client):
    agreement_between(
        OrganisationFactory(),
        OrganisationFactory(),
        effective_on=datetime.date(2019, 1, 1),
        expires_on=datetime.date(2020, 1, 1),
    )

    response = api_client.get(LIST_URL)

    assert response.json()["results"][0]["is_in_force"] is False


@pytest.mark.parametrize("slug", ["nothing", "not.a.slug", "ünïcode"])
def test_agreement_unknown_or_malformed_slug_is_a_json_404(api_client, slug):
    response = api_client.get(f"{LIST_URL}{slug}/")

    assert response.status_code == 404
    assert response.json()["type"] == "client_error"


# Audiences: non-public agreements and documents


@pytest.fixture
def hidden_and_shown():
    a, b = OrganisationFactory(slug="park-a"), OrganisationFactory(slug="park-b")
    return {
        "shown": agreement_between(a, b, slug="shown"),
        "private": agreement_between(a, b, slug="private", is_public=False),
        "draft": agreement_between(
            a, b, slug="draft", status=Agreement.Status.DRAFT, signed_on=None
        ),
    }


@pytest.mark.parametrize("caller", ["api_client", "partner_client"])
def test_agreement_list_hides_non_public_and_drafts_from_the_public(
    caller, request, hidden_and_shown
):
    client = request.getfixturevalue(caller)

    assert slugs(client.get(LIST_URL)) == ["shown"]
    assert slugs(client.get(LIST_URL, {"party": ["park-a", "park-b"]})) == ["shown"]
    assert slugs(client.get(LIST_URL, {"status": "draft"})) == []


@pytest.mark.parametrize("caller", ["api_client", "partner_client"])
@pytest.mark.parametrize("slug", ["private", "draft"])
def test_agreement_detail_of_non_public_is_404_for_the_public(
    caller, slug, request, hidden_and_shown
):
    client = request.getfixturevalue(caller)

    response = client.get(detail_url(hidden_and_shown[slug]))

    assert response.status_code == 404


def test_agreement_list_shows_everything_to_staff_tokens(staff_api_client, hidden_and_shown):
    response = staff_api_client.get(LIST_URL, {"ordering": "title"})

    rows = {row["slug"]: row for row in response.json()["results"]}
    assert set(rows) == {"shown", "private", "draft"}
    assert rows["private"]["is_public"] is False
    assert rows["draft"]["status"] == "draft"
    assert rows["draft"]["signed_on"] is None
    assert staff_api_client.get(detail_url(hidden_and_shown["private"])).status_code == 200


@pytest.fixture
def documents():
    parties = OrganisationFactory(), OrganisationFactory()
    return {
        "public": agreement_between(
            *parties, slug="public-doc", document=pdf(), document_is_public=True
        ),
        "staff-only": agreement_between(*parties, slug="staff-doc", document=pdf()),
        "none": agreement_between(*parties, slug="no-doc"),
    }


@pytest.mark.parametrize("caller", ["api_client", "partner_client"])
def test_agreement_document_reaches_the_public_only_once_made_public(caller, request, documents):
    client = request.getfixturevalue(caller)

    rows = {row["slug"]: row for row in client.get(LIST_URL).json()["results"]}
    detail = client.get(detail_url(documents["staff-only"])).json()

    public = documents["public"]
    assert rows["public-doc"]["document"] == f"{BASE}{public.document.url}"
    assert rows["public-doc"]["document"].endswith(".pdf")
    assert rows["staff-doc"]["document"] is None
    assert rows["no-doc"]["document"] is None
    assert detail["document"] is None
    assert "document_is_public" not in detail


def test_agreement_document_reaches_staff_tokens_even_when_not_public(staff_api_client, documents):
    staff_only = documents["staff-only"]

    detail = staff_api_client.get(detail_url(staff_only)).json()

    assert detail["document"] == f"{BASE}{staff_only.document.url}"
    assert detail["document_is_public"] is False


# Filters


@pytest.fixture
def catalogue():
    """Four public agreements that each filter tells apart."""
    energy = TopicFactory(name="Energy efficiency", slug="energy-efficiency")
    health = TopicFactory(slug="health")
    europe = DivisionFactory(slug="europe")
    beijing = ConferenceFactory(slug="beijing-2025")
    taguspark = OrganisationFactory(slug="taguspark", country="PT", division=europe)
    tecnopuc = OrganisationFactory(slug="tecnopuc", country="BR")
    step = OrganisationFactory(slug="cmu-step", country="TH")
    zpark = OrganisationFactory(slug="zpark", country="CN")
    agreement_between(
        taguspark,
        step,
        title="Smart agreement",
        slug="smart",
        signed_on=datetime.date(2024, 5, 1),
        topics=[energy],
        signed_at_conference=beijing,
    )
    agreement_between(
        taguspark,
        zpark,
        title="Old agreement",
        slug="old",
        signed_on=datetime.date(2019, 5, 1),
        status=Agreement.Status.EXPIRED,
        topics=[health],
    )
    agreement_between(
        tecnopuc,
        step,
        title="Kind agreement",
        slug="kind",
        kind=Agreement.Kind.MOU,
        signed_on=datetime.date(2023, 12, 31),
    )
    agreement_between(
        taguspark,
        step,
        zpark,
        title="Three parks",
        slug="three",
        signed_on=datetime.date(2024, 1, 1),
        status=Agreement.Status.ACTIVE,
        topics=[energy, health],
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, ["kind", "old", "smart", "three"]),
        ({"party": "taguspark"}, ["old", "smart", "three"]),
        ({"party": ["taguspark", "cmu-step"]}, ["smart", "three"]),
        ({"party": ["taguspark", "cmu-step", "zpark"]}, ["three"]),
        ({"party": ["tecnopuc", "taguspark"]}, []),
        ({"year": "2024"}, ["smart", "three"]),
        ({"signed_after": "2023-12-31"}, ["kind", "smart", "three"]),
        ({"signed_before": "2023-12-31"}, ["kind", "old"]),
        ({"signed_after": "2024-01-01", "signed_before": "2024-01-01"}, ["three"]),
        ({"topic": "energy-efficiency"}, ["smart", "three"]),
        ({"status": "expired"}, ["old"]),
        ({"status": "active"}, ["three"]),
        ({"kind": "mou"}, ["kind"]),
        ({"conference": "beijing-2025"}, ["smart"]),
        ({"country": "BR"}, ["kind"]),
        ({"country": "CN"}, ["old", "three"]),
        ({"year": "2024", "topic": "health"}, ["three"]),
    ],
)
def test_agreement_list_filter_narrows_the_list(api_client, catalogue, query, expected):
    response = api_client.get(LIST_URL, query)

    assert sorted(slugs(response)) == expected


def test_agreement_list_two_parties_gives_exactly_the_agreements_between_them(api_client):
    a, b, c = (OrganisationFactory(slug=slug) for slug in ("park-a", "park-b", "park-c"))
    agreement_between(a, b, slug="a-b")
    agreement_between(b, a, c, slug="b-a-c")
    agreement_between(a, c, slug="a-c")
    agreement_between(b, c, slug="b-c")

    response = api_client.get(LIST_URL, {"party": ["park-a", "park-b"]})

    assert sorted(slugs(response)) == ["a-b", "b-a-c"]
    assert response.json()["count"] == 2


def test_agreement_list_country_with_two_parties_there_lists_the_agreement_once(api_client):
    agreement_between(OrganisationFactory(country="BR"), OrganisationFactory(country="BR"))

    response = api_client.get(LIST_URL, {"country": "BR"})

    assert response.json()["count"] == 1


def test_agreement_list_existing_slugs_without_public_agreements_give_an_empty_list(api_client):
    """Unlike the page's choices, the API accepts any organisation, topic or conference."""
    loner = OrganisationFactory(slug="loner")
    private_party = OrganisationFactory(slug="private-party")
    agreement_between(private_party, OrganisationFactory(), is_public=False)
    TopicFactory(slug="unused")
    ConferenceFactory(slug="no-signing")
    agreement_between(OrganisationFactory(), OrganisationFactory())

    for query in (
        {"party": "loner"},
        {"party": "private-party"},
        {"party": ["loner", "private-party"]},
        {"topic": "unused"},
        {"conference": "no-signing"},
    ):
        response = api_client.get(LIST_URL, query)
        assert response.status_code == 200, query
        assert response.json() == {
            "count": 0,
            "count_capped": False,
            "next": None,
            "previous": None,
            "results": [],
        }
    assert loner.pk


def test_agreement_list_party_filter_finds_private_agreements_for_staff(staff_api_client):
    party = OrganisationFactory(slug="private-party")
    agreement_between(party, OrganisationFactory(), slug="secret", is_public=False)

    response = staff_api_client.get(LIST_URL, {"party": "private-party"})

    assert slugs(response) == ["secret"]


@pytest.mark.parametrize(
    ("query", "attr"),
    [
        ({"party": "no-such-park"}, "party"),
        ({"party": ["park-a", "no-such-park"]}, "party"),
        ({"party": "park\x00a"}, "party"),
        ({"topic": "\x00"}, "topic"),
        ({"search": "park\x00"}, "search"),
        ({"topic": "no-such-topic"}, "topic"),
        ({"conference": "no-such-conference"}, "conference"),
        ({"year": "last"}, "year"),
        ({"year": "1066"}, "year"),
        ({"signed_after": "2025-13-01"}, "signed_after"),
        ({"signed_before": "yesterday"}, "signed_before"),
        ({"status": "lost"}, "status"),
        ({"kind": "treaty"}, "kind"),
        ({"country": "XX"}, "country"),
        ({"ordering": "party"}, "ordering"),
        ({"expand": "signatories"}, "expand"),
        ({"modified_since": "soon"}, "modified_since"),
        ({"page_size": "0"}, "page_size"),
        ({"parties": "park-a"}, "parties"),
        ({"format": "xml"}, "format"),
    ],
)
def test_agreement_list_refuses_a_bad_parameter_naming_it(api_client, query, attr):
    OrganisationFactory(slug="park-a")

    response = api_client.get(LIST_URL, query)

    assert error_attrs(response) == [attr]


def test_agreement_list_modified_since_keeps_the_changed_ones(api_client):
    old = agreement_between(OrganisationFactory(), OrganisationFactory(), slug="old")
    Agreement.objects.filter(pk=old.pk).update(
        modified=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    )
    agreement_between(OrganisationFactory(), OrganisationFactory(), slug="new")

    response = api_client.get(LIST_URL, {"modified_since": "2021-01-01T00:00:00Z"})

    assert slugs(response) == ["new"]


# Search, order, paging


def test_agreement_list_search_looks_in_title_summary_and_party_names(api_client):
    lisbon = OrganisationFactory(name="Lisbon Science Park")
    agreement_between(OrganisationFactory(), OrganisationFactory(), slug="t", title="Solar pact")
    agreement_between(
        OrganisationFactory(), OrganisationFactory(), slug="s", summary="Solar start-ups."
    )
    agreement_between(lisbon, OrganisationFactory(name="Lisbon Tech Hub"), slug="p")
    agreement_between(OrganisationFactory(), OrganisationFactory(), slug="other", title="Wind")

    assert sorted(slugs(api_client.get(LIST_URL, {"search": "solar"}))) == ["s", "t"]
    # Two parties match: the agreement is listed once.
    response = api_client.get(LIST_URL, {"search": "Lisbon"})
    assert slugs(response) == ["p"]
    assert response.json()["count"] == 1
    assert slugs(api_client.get(LIST_URL, {"search": "lisbon hub"})) == ["p"]


def test_agreement_list_default_order_is_newest_signed_first(api_client):
    for slug, year in (("middle", 2022), ("newest", 2025), ("oldest", 2019)):
        agreement_between(
            OrganisationFactory(),
            OrganisationFactory(),
            slug=slug,
            signed_on=datetime.date(year, 1, 1),
        )

    assert slugs(api_client.get(LIST_URL)) == ["newest", "middle", "oldest"]


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("signed_on", ["b", "c", "a"]),
        ("-signed_on", ["a", "c", "b"]),
        ("title", ["a", "b", "c"]),
        ("-title", ["c", "b", "a"]),
        ("modified", ["c", "a", "b"]),
        ("-modified,title", ["b", "a", "c"]),
    ],
)
def test_agreement_list_ordering(api_client, ordering, expected):
    moments = {"a": 2, "b": 3, "c": 1}
    for slug, (title, year) in {
        "a": ("Alpha", 2025),
        "b": ("Beta", 2019),
        "c": ("Gamma", 2022),
    }.items():
        agreement = agreement_between(
            OrganisationFactory(),
            OrganisationFactory(),
            slug=slug,
            title=title,
            signed_on=datetime.date(year, 1, 1),
        )
        Agreement.objects.filter(pk=agreement.pk).update(
            modified=datetime.datetime(2025, 1, moments[slug], tzinfo=datetime.UTC)
        )

    assert slugs(api_client.get(LIST_URL, {"ordering": ordering})) == expected


def test_agreement_list_pages_neither_skip_nor_repeat_when_all_tie(api_client):
    parties = OrganisationFactory(), OrganisationFactory()
    created = [
        agreement_between(*parties, title="Same", signed_on=datetime.date(2025, 1, 1)).slug
        for _ in range(5)
    ]

    seen, url, pages = [], LIST_URL + "?page_size=2&ordering=title", 0
    while url:
        body = api_client.get(url).json()
        seen += [row["slug"] for row in body["results"]]
        url, pages = body["next"], pages + 1

    assert pages == 3
    assert seen == created  # ties broken by id, in creation order


# Formats


def test_agreement_list_as_csv_parses_with_the_expected_values(api_client):
    topic_a, topic_b = TopicFactory(slug="energy"), TopicFactory(slug="health")
    agreement_between(
        OrganisationFactory(slug="park-a"),
        OrganisationFactory(slug="park-b"),
        slug="csv-one",
        title="=Formula-looking title",
        signed_on=datetime.date(2025, 9, 19),
        signed_country="CN",
        signed_at_conference=ConferenceFactory(slug="beijing-2025"),
        topics=[topic_a, topic_b],
    )

    response = api_client.get(LIST_URL, {"format": "csv"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == 'attachment; filename="agreement.csv"'
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))
    assert len(rows) == 1
    row = rows[0]
    assert row["slug"] == "csv-one"
    assert row["title"] == "'=Formula-looking title"
    assert row["signed_on"] == "2025-09-19"
    assert row["signed_country"] == "CN"
    assert row["signed_country_name"] == "China"
    assert row["signed_at_conference"] == "beijing-2025"
    assert row["parties"] == "park-a; park-b"
    assert row["topics"] == "energy; health"
    assert row["is_in_force"] == "true"
    assert row["document"] == ""
    assert row["url"] == f"{BASE}/api/v1/agreements/csv-one/"
    assert "is_public" not in row


def test_agreement_list_as_csv_by_accept_header(api_client):
    agreement_between(OrganisationFactory(), OrganisationFactory(), slug="csv-two")

    response = api_client.get(LIST_URL, HTTP_ACCEPT="text/csv")

    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))
    assert [row["slug"] for row in rows] == ["csv-two"]


def test_agreement_detail_is_json_only(api_client):
    agreement = agreement_between(OrganisationFactory(), OrganisationFactory())

    response = api_client.get(detail_url(agreement), {"format": "csv"})

    assert error_attrs(response) == ["format"]


# Expansions


def test_agreement_expand_parties_gives_the_whole_organisation_records(api_client):
    park = OrganisationFactory(
        name="Lisbon Park", slug="lisbon-park", contact_email="secret@example.org"
    )
    MembershipFactory(organisation=park)
    signatory = PersonFactory(slug="signer")
    agreement = AgreementFactory()
    AgreementPartyFactory(
        agreement=agreement, organisation=park, order=0, reference_number="R-7", signatory=signatory
    )
    AgreementPartyFactory(agreement=agreement, order=1)

    response = api_client.get(detail_url(agreement), {"expand": "parties"})

    first = response.json()["parties"][0]
    assert first["reference_number"] == "R-7"
    assert first["signatory"]["slug"] == "signer"
    organisation = first["organisation"]
    assert organisation["slug"] == "lisbon-park"
    assert organisation["country_name"] == "Sweden"
    assert organisation["is_member"] is True
    assert organisation["division"]["slug"] == park.division.slug
    assert "contact_email" not in organisation


def test_agreement_expand_parties_shows_private_fields_to_staff(staff_api_client):
    park = OrganisationFactory(contact_email="office@example.org")
    agreement = agreement_between(park, OrganisationFactory())

    response = staff_api_client.get(LIST_URL, {"expand": "parties"})

    assert response.json()["results"][0]["parties"][0]["organisation"]["contact_email"] == (
        "office@example.org"
    )
    assert agreement.pk


def test_agreement_expand_topics_and_conference(api_client):
    topic = TopicFactory(slug="energy", name="Energy")
    conference = ConferenceFactory(slug="beijing-2025", title="Beijing 2025", city="Beijing")
    agreement_between(
        OrganisationFactory(),
        OrganisationFactory(),
        topics=[topic],
        signed_at_conference=conference,
    )
    agreement_between(
        OrganisationFactory(), OrganisationFactory(), signed_on=datetime.date(2020, 1, 1)
    )

    response = api_client.get(LIST_URL, {"expand": "topics,signed_at_conference"})

    first, second = response.json()["results"]
    assert first["topics"][0]["slug"] == "energy"
    assert first["topics"][0]["agreement_count"] == 1
    assert first["signed_at_conference"]["title"] == "Beijing 2025"
    assert first["signed_at_conference"]["city"] == "Beijing"
    assert first["signed_at_conference"]["url"] == f"{BASE}/api/v1/conferences/beijing-2025/"
    assert first["parties"][0]["organisation"].keys() == {"id", "slug", "name", "url"}
    assert second["topics"] == []
    assert second["signed_at_conference"] is None


# Query budgets: the same number of queries for one row and for many.


def rich_agreement(index: int) -> Agreement:
    """An agreement touching every relation the shapes read, so that an N+1 would show."""
    division = DivisionFactory()
    parties = [OrganisationFactory(division=division) for _ in range(3)]
    MembershipFactory(organisation=parties[0])
    parties[0].topics.add(TopicFactory())
    conference = ConferenceFactory(division=None)
    agreement = AgreementFactory(
        signed_at_conference=conference, signed_on=datetime.date(2020 + index, 1, 1)
    )
    for order, party in enumerate(parties):
        AgreementPartyFactory(
            agreement=agreement, organisation=party, order=order, signatory=PersonFactory()
        )
    agreement.topics.add(TopicFactory(), TopicFactory())
    return agreement


# Anonymous: count, agreements, parties (with organisations and signatories), topics.
LIST_QUERIES = 4
EXPANSION_QUERIES = {
    # The organisations again, with their divisions, topics and current memberships.
    "parties": 2,
    # The topics with their counts.
    "topics": 1,
    # The conferences, with their hosts and topics.
    "signed_at_conference": 3,
}


@pytest.mark.parametrize("rows", [1, 5])
def test_agreement_list_query_budget(api_client, django_assert_num_queries, rows):
    for index in range(rows):
        rich_agreement(index)

    with django_assert_num_queries(LIST_QUERIES):
        response = api_client.get(LIST_URL)

    assert len(response.json()["results"]) == rows


@pytest.mark.parametrize("rows", [1, 5])
def test_agreement_csv_query_budget(api_client, django_assert_num_queries, rows):
    for index in range(rows):
        rich_agreement(index)

    with django_assert_num_queries(LIST_QUERIES):
        response = api_client.get(LIST_URL, {"format": "csv"})

    assert response.content.decode().count("\r\n") == rows + 1


@pytest.mark.parametrize("rows", [1, 5])
@pytest.mark.parametrize("expand", [*EXPANSION_QUERIES, ",".join(EXPANSION_QUERIES)])
def test_agreement_list_query_budget_with_expansion(
    api_client, django_assert_num_queries, rows, expand
):
    for index in range(rows):
        rich_agreement(index)
    extra = sum(EXPANSION_QUERIES[name] for name in expand.split(","))

    with django_assert_num_queries(LIST_QUERIES + extra):
        response = api_client.get(LIST_URL, {"expand": expand})

    assert len(response.json()["results"]) == rows


@pytest.mark.parametrize("expand", [None, ",".join(EXPANSION_QUERIES)])
def test_agreement_detail_query_budget(api_client, django_assert_num_queries, expand):
    agreement = rich_agreement(0)
    query = {"expand": expand} if expand else {}
    extra = sum(EXPANSION_QUERIES.values()) if expand else 0

    # The list's queries less the count.
    with django_assert_num_queries(LIST_QUERIES - 1 + extra):
        response = api_client.get(detail_url(agreement), query)

    assert len(response.json()["parties"]) == 3


@pytest.mark.parametrize("caller", ["partner_client", "staff_api_client"])
@pytest.mark.parametrize("rows", [1, 5])
def test_agreement_list_query_budget_with_a_token(
    caller, request, django_assert_num_queries, rows, settings
):
    settings.PAGE_CACHE_SECONDS = 0  # built each time, not served from the cache
    client = request.getfixturevalue(caller)
    for index in range(rows):
        rich_agreement(index)
    client.get(LIST_URL)  # the token's last use is recorded at most once a while

    # One more: the token, with its user and organisation.
    with django_assert_num_queries(LIST_QUERIES + 1):
        response = client.get(LIST_URL)

    assert len(response.json()["results"]) == rows
