"""The /api/v1/agreements/ read endpoints: shapes, audiences, formats, expansions."""

import csv
import datetime
import io

import pytest

from agreements.models import Agreement, AgreementDocument
from tests.agreements.agreement_api import (
    BASE,
    LIST_URL,
    detail_url,
    error_attrs,
    reference,
    slugs,
)
from tests.factories import (
    AgreementDocumentFactory,
    AgreementFactory,
    AgreementPartyFactory,
    ConferenceFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    TopicFactory,
    agreement_between,
)

pytestmark = pytest.mark.django_db


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
    AgreementPartyFactory(
        agreement=agreement,
        organisation=step,
        order=0,
        reference_number="S-1",
        signed_on=datetime.date(2024, 5, 28),
    )
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
        "terminated_on": None,
        "termination_reason": "",
        "is_in_force": True,
        "amends": None,
        "renews": None,
        "amended_by": [],
        "renewed_by": [],
        "parties": [
            {
                "organisation": reference("/api/v1/organisations/", step, "CMU STeP"),
                "reference_number": "S-1",
                "signatory": None,
                "signed_on": "2024-05-28",
            },
            {
                "organisation": reference("/api/v1/organisations/", taguspark, "Taguspark"),
                "reference_number": "",
                "signatory": reference("/api/v1/people/", signatory, "Ana Silva"),
                "signed_on": None,
            },
        ],
        "topics": [reference("/api/v1/topics/", energy, "Energy efficiency")],
        "document": None,
        "documents": [],
        "source_url": "https://example.org/news",
        "confirmations": [],
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
    public = agreement_between(*parties, slug="public-doc")
    staff_only = agreement_between(*parties, slug="staff-doc")
    with_both = agreement_between(*parties, slug="both-docs")
    return {
        "public": AgreementDocumentFactory(agreement=public, is_public=True),
        "staff-only": AgreementDocumentFactory(agreement=staff_only),
        "annex": AgreementDocumentFactory(
            agreement=with_both,
            kind=AgreementDocument.Kind.ANNEX,
            title="Annex I: work plan",
            language="fr",
            is_public=True,
            order=1,
        ),
        "private text": AgreementDocumentFactory(agreement=with_both, order=0),
        "none": agreement_between(*parties, slug="no-doc"),
    }


@pytest.mark.parametrize("caller", ["api_client", "partner_client"])
def test_agreement_document_reaches_the_public_only_once_made_public(caller, request, documents):
    client = request.getfixturevalue(caller)

    rows = {row["slug"]: row for row in client.get(LIST_URL).json()["results"]}
    detail = client.get(detail_url(documents["staff-only"].agreement)).json()

    public = documents["public"]
    assert rows["public-doc"]["document"] == f"{BASE}{public.file.url}"
    assert rows["public-doc"]["document"].endswith(".pdf")
    assert rows["public-doc"]["documents"] == [
        {
            "kind": "signed_text",
            "title": "Signed text",
            "language": "en",
            "url": f"{BASE}{public.file.url}",
            "is_public": True,
        }
    ]
    assert rows["staff-doc"]["document"] is None
    assert rows["staff-doc"]["documents"] == []
    assert rows["no-doc"]["document"] is None
    assert rows["no-doc"]["documents"] == []
    # A public annex is listed; the private signed text is not, and `document` stays null.
    assert rows["both-docs"]["document"] is None
    assert rows["both-docs"]["documents"] == [
        {
            "kind": "annex",
            "title": "Annex I: work plan",
            "language": "fr",
            "url": f"{BASE}{documents['annex'].file.url}",
            "is_public": True,
        }
    ]
    assert detail["document"] is None
    assert detail["documents"] == []
    assert "document_is_public" not in detail


def test_agreement_document_reaches_staff_tokens_even_when_not_public(staff_api_client, documents):
    staff_only = documents["staff-only"]

    detail = staff_api_client.get(detail_url(staff_only.agreement)).json()
    both = staff_api_client.get(detail_url(documents["annex"].agreement)).json()

    # `document` stays what partners have always read: the public signed text.
    assert detail["document"] is None
    assert detail["documents"] == [
        {
            "kind": "signed_text",
            "title": "Signed text",
            "language": "en",
            "url": f"{BASE}{staff_only.file.url}",
            "is_public": False,
        }
    ]
    assert [(row["kind"], row["is_public"]) for row in both["documents"]] == [
        ("signed_text", False),
        ("annex", True),
    ]


@pytest.mark.parametrize(
    ("caller", "status"),
    [("api_client", 404), ("partner_client", 404), ("staff_api_client", 200)],
)
def test_agreement_documents_of_a_hidden_agreement_reach_staff_only(caller, status, request):
    client = request.getfixturevalue(caller)
    document = AgreementDocumentFactory(
        agreement=agreement_between(
            OrganisationFactory(), OrganisationFactory(), slug="hidden", is_public=False
        ),
        is_public=True,
    )

    response = client.get(detail_url(document.agreement))

    assert response.status_code == status
    if status == 200:
        assert response.json()["document"] == f"{BASE}{document.file.url}"


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
    assert row["documents"] == ""
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
