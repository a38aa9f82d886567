"""The API's agreement list written from rows (portal/api/agreements/rows.py) says, byte for
byte, what `AgreementSerializer` says of the same agreements, for every audience and page."""

import datetime

import pytest

from agreements.models import Agreement, AgreementDocument
from agreements.services import confirm_agreement
from portal.api.agreements.views import AgreementViewSet
from tests import rows_support
from tests.agreements.agreement_api import LIST_URL
from tests.agreements.confirmation_support import proposed, two_parks
from tests.factories import (
    AgreementDocumentFactory,
    AgreementFactory,
    AgreementPartyFactory,
    ConferenceFactory,
    OrganisationFactory,
    PersonFactory,
    TopicFactory,
    agreement_between,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def each_answer_made(settings):
    """Each request makes its answer: none is served from the page cache."""
    settings.PAGE_CACHE_SECONDS = 0


TODAY = datetime.date.today()
DAY = datetime.timedelta(days=1)


@pytest.fixture
def agreements():
    """Agreements holding each thing the list shows, and each thing it may leave out."""
    step = OrganisationFactory(name="CMU STeP", country="TH")
    taguspark = OrganisationFactory(name="Taguspark", country="PT")
    third = OrganisationFactory(name="Parque & Co <Norte>", country="ES")
    energy = TopicFactory(name="Energy efficiency")
    health = TopicFactory(name="Health")
    conference = ConferenceFactory(title="World Conference 42")

    full = AgreementFactory(
        title="STeP and Taguspark cooperation",
        kind=Agreement.Kind.MOU,
        status=Agreement.Status.ACTIVE,
        signed_on=datetime.date(2024, 6, 3),
        signed_city="Lisbon",
        signed_country="PT",
        signed_at_conference=conference,
        effective_on=datetime.date(2024, 7, 1),
        expires_on=TODAY + 400 * DAY,
        source_url="https://example.org/news",
    )
    AgreementPartyFactory(
        agreement=full,
        organisation=step,
        order=0,
        reference_number="S-1",
        signatory=PersonFactory(name="Ana Silva"),
        signed_on=datetime.date(2024, 5, 30),
    )
    AgreementPartyFactory(agreement=full, organisation=taguspark, order=1)
    full.topics.set([health, energy])
    # Documents in their own order: public and private, titled and not, two signed texts.
    AgreementDocumentFactory(agreement=full, order=3, is_public=True)
    AgreementDocumentFactory(agreement=full, order=0)
    AgreementDocumentFactory(
        agreement=full,
        kind=AgreementDocument.Kind.ANNEX,
        title="Annex I: work plan",
        language="fr",
        is_public=True,
        order=1,
    )
    AgreementDocumentFactory(
        agreement=full, kind=AgreementDocument.Kind.TRANSLATION, is_public=True, order=2
    )

    # A chain: amended publicly, renewed by a draft, amended by a hidden agreement.
    earlier = agreement_between(
        step, third, title="First steps", signed_on=datetime.date(2020, 1, 1)
    )
    agreement_between(
        step,
        third,
        title="First steps, amended",
        follows=earlier,
        relation=Agreement.Relation.AMENDS,
        signed_on=datetime.date(2021, 1, 1),
    )
    agreement_between(
        step,
        third,
        title="First steps, renewal being drafted",
        follows=earlier,
        relation=Agreement.Relation.RENEWS,
        status=Agreement.Status.DRAFT,
        signed_on=None,
    )
    agreement_between(
        step,
        third,
        title="First steps, amended quietly",
        follows=earlier,
        relation=Agreement.Relation.AMENDS,
        is_public=False,
        signed_on=datetime.date(2022, 1, 1),
    )
    # Renewing a hidden agreement: the link shows to staff only.
    hidden = agreement_between(taguspark, third, title="Hidden", is_public=False)
    agreement_between(
        taguspark, third, title="Renews the hidden one", follows=hidden, relation="renews"
    )
    # Its life over: expired, terminated, not yet in force.
    agreement_between(
        step,
        taguspark,
        title="Expired",
        status=Agreement.Status.EXPIRED,
        signed_on=datetime.date(2010, 1, 1),
        expires_on=datetime.date(2015, 1, 1),
    )
    agreement_between(
        step,
        taguspark,
        title="Terminated",
        status=Agreement.Status.TERMINATED,
        signed_on=datetime.date(2018, 1, 1),
        terminated_on=datetime.date(2019, 1, 1),
        termination_reason="Both parks merged.",
    )
    agreement_between(
        taguspark, third, title="Not yet in force", signed_on=TODAY, effective_on=TODAY + DAY
    )
    agreement_between(taguspark, third, title="Signed today", signed_on=TODAY)

    # Proposed by a member and confirmed by the other party; and one no party answered.
    park_a, alice, park_b, bruno = two_parks()
    confirmed = proposed(park_a, alice, park_b)
    confirm_agreement(agreement=confirmed, organisation=park_b, user=bruno)
    proposed(park_b, bruno, park_a, title="Beta and Alpha, unanswered")
    return Agreement.objects.count()


def both_ways(client, monkeypatch, url: str):
    return rows_support.both_ways(client, monkeypatch, url, AgreementViewSet)


@pytest.mark.parametrize("caller", ["api_client", "partner_client", "staff_api_client"])
def test_rows_say_what_the_serializer_says(caller, request, monkeypatch, agreements):
    client = request.getfixturevalue(caller)
    from_rows, serialized = both_ways(client, monkeypatch, f"{LIST_URL}?page_size=100")
    shown = from_rows.json()["results"]
    assert len(shown) == (agreements if caller == "staff_api_client" else agreements - 5)
    assert from_rows.content == serialized.content


def test_rows_cover_every_field_with_a_value(staff_api_client, monkeypatch, agreements):
    """The comparison above compares something: each field of the shape has a value other
    than empty in some agreement."""
    from_rows, _ = both_ways(staff_api_client, monkeypatch, f"{LIST_URL}?page_size=100")
    results = from_rows.json()["results"]
    empty = [
        field
        for field in results[0]
        if not any(row[field] not in (None, "", [], False) for row in results)
    ]
    assert empty == []
    full = next(row for row in results if row["title"] == "STeP and Taguspark cooperation")
    assert [document["title"] for document in full["documents"]] == [
        "Signed text",
        "Annex I: work plan",
        "Translation",
        "Signed text",
    ]
    assert [topic["name"] for topic in full["topics"]] == ["Energy efficiency", "Health"]
    confirmed = next(row for row in results if row["title"] == "Alpha and Beta cooperate")
    assert [row["organisation"] for row in confirmed["confirmations"]] != []


@pytest.mark.parametrize("page", [1, 2, 4])
def test_rows_of_each_page_and_order(api_client, monkeypatch, agreements, page):
    """Pages past the first are read through their keys (`DeepPaginator`); the order asked
    for holds."""
    for order in ("", "&ordering=title", "&ordering=-modified"):
        from_rows, serialized = both_ways(
            api_client, monkeypatch, f"{LIST_URL}?page_size=2&page={page}{order}"
        )
        assert from_rows.content == serialized.content


def test_rows_with_filters_and_search(api_client, monkeypatch, agreements):
    for query in ("kind=mou", "year=2024", "q=first", "search=taguspark", "status=expired"):
        url = f"{LIST_URL}?{query}"
        response = api_client.get(url)
        if response.status_code != 200:
            continue  # a parameter this list does not take: its own tests cover it
        from_rows, serialized = both_ways(api_client, monkeypatch, url)
        assert from_rows.content == serialized.content


def test_rows_of_an_empty_page(api_client, monkeypatch, db):
    from_rows = api_client.get(LIST_URL)
    assert from_rows.json()["results"] == []
    assert from_rows.json()["count"] == 0


@pytest.mark.parametrize(
    "query", ["format=csv", "expand=parties", "expand=topics", "group_by=year"]
)
def test_other_shapes_are_the_serializer_s(api_client, monkeypatch, agreements, query):
    def refuse(self, page):
        raise AssertionError("written from rows")

    monkeypatch.setattr(AgreementViewSet.list_rows, "write", refuse)
    response = api_client.get(f"{LIST_URL}?{query}")
    assert response.status_code == 200


def test_rows_depend_on_the_records_the_serializer_loaded(
    api_client, monkeypatch, settings, agreements
):
    """A cached list is dropped by a change to any record it shows: the rows name each one
    (core/dependencies.py), as the instances the serializer read did by being loaded."""
    settings.PAGE_CACHE_SECONDS = 300
    tags = rows_support.dependency_tags(
        api_client, monkeypatch, f"{LIST_URL}?page_size=100", AgreementViewSet
    )
    assert tags["rows"] == tags["serializer"]
    for kind in ("agreementparty", "agreementdocument", "agreement"):
        assert any(tag.startswith(f"dep:agreements.{kind}:") for tag in tags["rows"]), kind
    assert any(tag.startswith("dep:members.person:") for tag in tags["rows"])
    assert any(tag.startswith("dep:conferences.conference:") for tag in tags["rows"])
