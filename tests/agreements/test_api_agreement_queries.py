"""The /api/v1/agreements/ read endpoints: query budgets."""

import datetime

import pytest

from agreements.models import Agreement
from tests.agreements.agreement_api import LIST_URL, detail_url
from tests.factories import (
    AgreementDocumentFactory,
    AgreementFactory,
    AgreementPartyFactory,
    ConferenceFactory,
    DivisionFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db


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
    AgreementDocumentFactory(agreement=agreement, is_public=True)
    AgreementDocumentFactory(agreement=agreement, kind="annex", order=1)
    return agreement


# Anonymous: count, agreements (with the one each amends or renews), parties (with
# organisations and signatories), topics, documents, the agreements amending or renewing them.
LIST_QUERIES = 6
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
