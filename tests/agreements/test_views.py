import datetime
import io
import re

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from PIL import Image

from agreements.models import Agreement
from agreements.views import AgreementListView
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

LIST_URL = reverse("agreements:agreement-list")


def png(width: int, height: int) -> ContentFile:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (11, 85, 99)).save(buffer, format="PNG")
    return ContentFile(buffer.getvalue(), name="logo.png")


def listed_titles(response) -> list[str]:
    """The titles of the agreements in the result list, in page order."""
    html = response.content.decode()
    return re.findall(r'<h3><a href="/agreements/[^"]+/">([^<]+)</a></h3>', html)


def test_agreement_list_shows_each_agreement_with_its_parties_and_details(client):
    topic = TopicFactory(name="Smart cities")
    step = OrganisationFactory(name="CMU Science and Technology Park", slug="cmu-step")
    tsp = OrganisationFactory(name="Taguspark", slug="taguspark", country="PT")
    agreement = agreement_between(
        step,
        tsp,
        title="STeP and Taguspark cooperation",
        signed_on=datetime.date(2024, 6, 3),
        signed_city="Lisbon",
        signed_country="PT",
        status=Agreement.Status.ACTIVE,
    )
    agreement.topics.add(topic)

    response = client.get(LIST_URL)

    html = response.content.decode()
    assert response.status_code == 200
    assert listed_titles(response) == ["STeP and Taguspark cooperation"]
    assert f'<a href="{step.get_absolute_url()}">CMU Science and Technology Park</a>' in html
    assert f'<a href="{tsp.get_absolute_url()}">Taguspark</a>' in html
    assert '<time datetime="2024-06-03">3 June 2024</time>' in html
    assert "Lisbon, Portugal" in html
    assert '<span class="badge">Active</span>' in html
    assert "Smart cities" in html
    assert "1 agreement" in html


def test_agreement_list_party_logo_has_alt_text_and_size(client):
    with_logo = OrganisationFactory(name="Logo Park", logo=png(240, 120))
    agreement_between(with_logo, OrganisationFactory(), title="An agreement")

    html = client.get(LIST_URL).content.decode()

    logo = re.search(r'<img src="[^"]+" alt="Logo of Logo Park"[^>]*>', html)
    assert logo is not None
    assert 'width="56" height="28"' in logo.group()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("topic=smart-cities", ["Smart agreement"]),
        ("year=2019", ["Old agreement"]),
        ("party=taguspark", ["Smart agreement", "Old agreement"]),
        ("country=BR", ["Kind agreement"]),
        ("status=expired", ["Old agreement"]),
        ("kind=mou", ["Kind agreement"]),
        ("year=2024&topic=smart-cities", ["Smart agreement"]),
        ("year=2024&party=taguspark", ["Smart agreement"]),
    ],
)
def test_agreement_list_filter_narrows_the_list(client, query, expected):
    topic = TopicFactory(name="Smart cities", slug="smart-cities")
    taguspark = OrganisationFactory(slug="taguspark", country="PT")
    tecnopuc = OrganisationFactory(slug="tecnopuc", country="BR")
    smart = agreement_between(
        taguspark,
        OrganisationFactory(),
        title="Smart agreement",
        signed_on=datetime.date(2024, 5, 1),
    )
    smart.topics.add(topic)
    agreement_between(
        taguspark,
        OrganisationFactory(),
        title="Old agreement",
        signed_on=datetime.date(2019, 5, 1),
        status=Agreement.Status.EXPIRED,
    )
    agreement_between(
        tecnopuc,
        OrganisationFactory(),
        title="Kind agreement",
        kind=Agreement.Kind.MOU,
        signed_on=datetime.date(2023, 5, 1),
    )

    response = client.get(f"{LIST_URL}?{query}")

    assert response.status_code == 200
    assert sorted(listed_titles(response)) == sorted(expected)


def test_agreement_list_two_parties_gives_only_the_agreements_between_them(client):
    a, b, c = (OrganisationFactory(slug=slug) for slug in ("park-a", "park-b", "park-c"))
    agreement_between(a, b, title="A with B")
    agreement_between(a, b, c, title="A with B and C")
    agreement_between(a, c, title="A with C")
    agreement_between(b, c, title="B with C")

    response = client.get(f"{LIST_URL}?party=park-a&party=park-b")

    assert sorted(listed_titles(response)) == ["A with B", "A with B and C"]
    assert "2 agreements" in response.content.decode()


def test_agreement_list_country_with_two_parties_there_lists_the_agreement_once(client):
    agreement_between(
        OrganisationFactory(country="BR"), OrganisationFactory(country="BR"), title="Brazilian"
    )

    response = client.get(f"{LIST_URL}?country=BR")

    assert listed_titles(response) == ["Brazilian"]
    assert "1 agreement" in response.content.decode()


def test_agreement_list_unknown_party_shows_an_error_not_a_crash(client):
    agreement_between(OrganisationFactory(slug="known"), OrganisationFactory(), title="Known")

    response = client.get(f"{LIST_URL}?party=known&party=no-such-park")

    html = response.content.decode()
    assert response.status_code == 200
    assert "no-such-park is not one of the available choices" in html
    assert "Some filters could not be used" in html
    assert listed_titles(response) == []


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("year=abc", "Enter a whole number."),
        ("year=99999", "Ensure this value is less than or equal to 2200."),
        ("status=draft", "Select a valid choice. draft is not one of the available choices."),
        ("country=XX", "Select a valid choice. XX is not one of the available choices."),
        ("topic=nothing", "Select a valid choice."),
    ],
)
def test_agreement_list_invalid_filter_shows_the_field_error(client, query, message):
    agreement_between(OrganisationFactory(), OrganisationFactory())

    response = client.get(f"{LIST_URL}?{query}")

    assert response.status_code == 200
    assert message in response.content.decode()
    assert listed_titles(response) == []


def test_agreement_list_private_party_is_not_offered_as_a_filter(client):
    hidden = OrganisationFactory(name="Secret Partner Park", slug="secret")
    agreement_between(hidden, OrganisationFactory(), title="Hidden", is_public=False)
    agreement_between(OrganisationFactory(name="Open Park"), OrganisationFactory(), title="Shown")

    html = client.get(LIST_URL).content.decode()

    assert "Open Park" in html
    assert "Secret Partner Park" not in html
    assert (
        "is not one of the available choices"
        in client.get(f"{LIST_URL}?party=secret").content.decode()
    )


def party_options(response) -> list[str]:
    field = response.content.decode().split('name="party"')[1].split("</select>")[0]
    return re.findall(r'<option value="([^"]+)"', field)


def test_agreement_list_offers_the_parties_listed_and_those_chosen(client, monkeypatch):
    monkeypatch.setattr(AgreementListView, "paginate_by", 1)
    old_park, new_park, partner = (
        OrganisationFactory(name=name, slug=slug)
        for name, slug in (("Old Park", "old"), ("New Park", "new"), ("Partner", "partner"))
    )
    agreement_between(old_park, partner, title="Old", signed_on=datetime.date(2020, 1, 1))
    agreement_between(new_park, partner, title="New", signed_on=datetime.date(2025, 1, 1))

    assert party_options(client.get(LIST_URL)) == ["new", "partner"]
    assert party_options(client.get(LIST_URL, {"page": 2})) == ["old", "partner"]
    chosen = client.get(LIST_URL, {"party": "old"})
    assert listed_titles(chosen) == ["Old"]
    assert party_options(chosen) == ["old", "partner"]
    assert 'value="old" selected' in chosen.content.decode()


def test_agreement_list_leaves_out_drafts_and_non_public_agreements(client):
    agreement_between(OrganisationFactory(), OrganisationFactory(), title="Public one")
    agreement_between(
        OrganisationFactory(),
        OrganisationFactory(),
        title="Draft one",
        status=Agreement.Status.DRAFT,
        signed_on=None,
    )
    agreement_between(
        OrganisationFactory(), OrganisationFactory(), title="Private one", is_public=False
    )

    response = client.get(LIST_URL)

    html = response.content.decode()
    assert listed_titles(response) == ["Public one"]
    assert "Draft one" not in html
    assert "Private one" not in html


def test_agreement_list_empty_says_so(client):
    html = client.get(LIST_URL).content.decode()

    assert "No agreements have been published yet." in html


def test_agreement_list_with_no_match_offers_to_clear_the_filters(client):
    agreement_between(
        OrganisationFactory(), OrganisationFactory(), signed_on=datetime.date(2024, 1, 1)
    )

    html = client.get(f"{LIST_URL}?year=2001").content.decode()

    assert "No agreement matches these filters." in html
    assert f'<a href="{LIST_URL}">Show all agreements</a>' in html


def test_agreement_list_pagination_keeps_the_filters(client):
    topic = TopicFactory(slug="health")
    for number in range(25):
        agreement = agreement_between(
            OrganisationFactory(), OrganisationFactory(), title=f"Health agreement {number:02}"
        )
        agreement.topics.add(topic)
    agreement_between(OrganisationFactory(), OrganisationFactory(), title="Unrelated")

    first = client.get(f"{LIST_URL}?topic=health")
    second = client.get(f"{LIST_URL}?topic=health&page=2")

    assert "25 agreements" in first.content.decode()
    assert len(listed_titles(first)) == 20
    assert 'href="?topic=health&amp;page=2" rel="next"' in first.content.decode()
    assert len(listed_titles(second)) == 5
    assert "Unrelated" not in listed_titles(second)


def test_agreement_list_page_out_of_range_is_404(client):
    assert client.get(f"{LIST_URL}?page=9").status_code == 404
    assert client.get(f"{LIST_URL}?page=abc").status_code == 404


@pytest.mark.parametrize("count", [1, 6])
@pytest.mark.parametrize("query", ["", "?topic=t&party=p&country=SE&year=2025&kind=cooperation"])
def test_agreement_list_query_count_does_not_grow_with_the_results(
    client, django_assert_num_queries, count, query
):
    topic = TopicFactory(slug="t")
    first_party = OrganisationFactory(slug="p", logo=png(60, 30))
    for _ in range(count):
        agreement = agreement_between(
            first_party, *(OrganisationFactory(logo=png(40, 40)) for _ in range(count))
        )
        agreement.topics.add(topic, *(TopicFactory() for _ in range(count)))
    conference = ConferenceFactory()
    Agreement.objects.update(signed_at_conference=conference)

    # Topic choices, count, page, parties, topics (the parties offered are those listed);
    # a filtered request also checks the chosen topic and parties exist.
    with django_assert_num_queries(7 if query else 5):
        response = client.get(f"{LIST_URL}{query}")

    assert len(listed_titles(response)) == count


def test_agreement_detail_shows_parties_dates_place_and_focus_areas(client):
    conference = ConferenceFactory(title="41st World Conference", slug="wc41")
    topic = TopicFactory(name="Green transition", slug="green")
    park = OrganisationFactory(name="Ideon Science Park", logo=png(200, 100))
    signatory = PersonFactory(name="Anna Larsson", honorific="Dr", job_title="CEO")
    other = OrganisationFactory(name="Kista Science City")
    agreement = AgreementFactory(
        title="Ideon and Kista memorandum",
        kind=Agreement.Kind.MOU,
        status=Agreement.Status.ACTIVE,
        signed_on=datetime.date(2024, 9, 19),
        effective_on=datetime.date(2024, 10, 1),
        expires_on=datetime.date(2027, 9, 30),
        signed_city="Nairobi",
        signed_country="KE",
        signed_at_conference=conference,
        summary="Joint incubation programmes.\n\nStaff exchanges.",
        source_url="https://example.org/news/ideon-kista",
    )
    agreement.topics.add(topic)
    AgreementPartyFactory(
        agreement=agreement, organisation=park, reference_number="ID-2024/7", signatory=signatory
    )
    AgreementPartyFactory(agreement=agreement, organisation=other, order=1)

    response = client.get(agreement.get_absolute_url())

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1>") == 1
    assert "<h1>Ideon and Kista memorandum</h1>" in html
    assert f'<a href="{park.get_absolute_url()}">Ideon Science Park</a>' in html
    assert 'alt="Logo of Ideon Science Park" width="200" height="100"' in html
    assert "ID-2024/7" in html
    assert f'<a href="{signatory.get_absolute_url()}">Dr Anna Larsson</a>, CEO' in html
    assert f'<a href="{other.get_absolute_url()}">Kista Science City</a>' in html
    assert "Memorandum of understanding" in html
    assert '<time datetime="2024-09-19">19 September 2024</time>' in html
    assert '<time datetime="2024-10-01">1 October 2024</time>' in html
    assert '<time datetime="2027-09-30">30 September 2027</time>' in html
    assert "Nairobi, Kenya" in html
    assert '<a href="/conferences/wc41/">41st World Conference</a>' in html
    assert (
        f'<a href="{topic.get_absolute_url()}"><span class="badge">Green transition</span></a>'
        in html
    )
    assert "<p>Joint incubation programmes.</p>" in html
    assert 'href="https://example.org/news/ideon-kista"' in html


def test_agreement_detail_has_breadcrumbs_and_open_graph_tags(client):
    agreement = agreement_between(
        OrganisationFactory(name="Park One"),
        OrganisationFactory(name="Park Two"),
        title="One and Two",
        signed_on=datetime.date(2025, 9, 19),
    )

    html = client.get(agreement.get_absolute_url()).content.decode()

    assert '<meta property="og:title" content="One and Two">' in html
    assert '<meta property="og:type" content="article">' in html
    assert (
        '<meta property="og:description" content="Cooperation agreement between Park One and '
        'Park Two, signed on 19 September 2025.">' in html
    )
    assert f'<li><a href="{LIST_URL}">Agreements</a></li>' in html
    assert '<li aria-current="page">One and Two</li>' in html


@pytest.mark.parametrize(
    "kwargs",
    [
        {"status": Agreement.Status.DRAFT, "signed_on": None},
        {"is_public": False},
    ],
    ids=["draft", "not-public"],
)
def test_agreement_detail_of_a_hidden_agreement_is_404(client, kwargs):
    agreement = agreement_between(OrganisationFactory(), OrganisationFactory(), **kwargs)

    assert client.get(agreement.get_absolute_url()).status_code == 404


def test_agreement_detail_links_the_document_only_when_it_is_public(client):
    shown = AgreementDocumentFactory(
        agreement=agreement_between(OrganisationFactory(), OrganisationFactory()), is_public=True
    )
    kept = AgreementDocumentFactory(
        agreement=agreement_between(OrganisationFactory(), OrganisationFactory())
    )

    shown_html = client.get(shown.agreement.get_absolute_url()).content.decode()
    kept_html = client.get(kept.agreement.get_absolute_url()).content.decode()

    assert f'<a href="{shown.file.url}" type="application/pdf" hreflang="en">' in shown_html
    assert "Documents and source" in shown_html
    assert kept.file.url not in kept_html
    assert "Documents and source" not in kept_html


@pytest.mark.parametrize("count", [2, 6])
def test_agreement_detail_query_count_does_not_grow_with_the_parties(
    client, django_assert_num_queries, count
):
    agreement = AgreementFactory(signed_at_conference=ConferenceFactory())
    for order in range(count):
        AgreementPartyFactory(
            agreement=agreement,
            order=order,
            organisation=OrganisationFactory(logo=png(50, 50)),
            signatory=PersonFactory(),
        )
    agreement.topics.add(*(TopicFactory() for _ in range(count)))
    for order in range(count):
        AgreementDocumentFactory(agreement=agreement, is_public=True, order=order)

    # The agreement with its conference and the one it amends or renews, the parties with
    # organisations and signatories, topics, documents, the agreements amending or renewing it.
    with django_assert_num_queries(5):
        response = client.get(agreement.get_absolute_url())

    assert response.content.decode().count("Logo of ") == count


def test_agreement_list_items_link_and_label_as_each_record_does(client):
    alpha = OrganisationFactory(name="Alpha Park")
    beta = OrganisationFactory(name="Beta Park")
    topic = TopicFactory(name="Robotics")
    agreement = AgreementFactory(
        title="Robots together", kind=Agreement.Kind.MOU, status=Agreement.Status.TERMINATED
    )
    for order, organisation in enumerate((alpha, beta)):
        AgreementPartyFactory(agreement=agreement, organisation=organisation, order=order)
    agreement.topics.set([topic])

    body = client.get(reverse("agreements:agreement-list")).content.decode()

    assert f'<h3><a href="{agreement.get_absolute_url()}">Robots together</a></h3>' in body
    assert f'<a href="{alpha.get_absolute_url()}">Alpha Park</a>' in body
    assert f'<a href="{beta.get_absolute_url()}">Beta Park</a>' in body
    assert f'<li><a href="{topic.get_absolute_url()}"><span' in body
    assert '<span class="badge badge--accent">Terminated</span>' in body
    assert "Memorandum of understanding\n" in body


def topic_options(response) -> list[tuple[str, str, bool]]:
    """The focus-area select's options: value, label and whether it is selected."""
    html = response.content.decode()
    select = re.search(r'<select name="topic"[^>]*>(.*?)</select>', html, re.S).group(1)
    return [
        (value, label, bool(selected))
        for value, selected, label in re.findall(
            r'<option value="([^"]*)"( selected)?>([^<]*)</option>', select
        )
    ]


def test_the_focus_areas_offered_are_those_of_public_agreements_by_name(client):
    public = agreement_between(OrganisationFactory(), OrganisationFactory())
    private = agreement_between(OrganisationFactory(), OrganisationFactory(), is_public=False)
    water = TopicFactory(name="Water", slug="water")
    energy = TopicFactory(name="Energy", slug="energy")
    public.topics.add(water, energy)
    private.topics.add(TopicFactory(name="Secret", slug="secret"))

    assert topic_options(client.get(LIST_URL)) == [
        ("", "All focus areas", True),
        ("energy", "Energy", False),
        ("water", "Water", False),
    ]
    assert topic_options(client.get(f"{LIST_URL}?topic=water"))[2] == ("water", "Water", True)

    water.name = "Clean water"
    water.save()
    assert [label for _, label, _ in topic_options(client.get(LIST_URL))] == [
        "All focus areas",
        "Clean water",
        "Energy",
    ]
