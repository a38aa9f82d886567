import datetime
import html
import re
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from members.badges import badge_name_lines
from members.models import Membership, Organisation
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"


def member(**kwargs) -> Organisation:
    organisation = OrganisationFactory(**kwargs)
    MembershipFactory(organisation=organisation, started_on=datetime.date(2019, 3, 1))
    return organisation


def badge_url(organisation: Organisation) -> str:
    return reverse("members:organisation-badge", kwargs={"slug": organisation.slug})


def get_badge(client, organisation: Organisation, **headers):
    response = client.get(badge_url(organisation), headers=headers)
    response.body = b"".join(response.streaming_content) if response.streaming else b""
    return response


def texts(response) -> list[str]:
    """The lines of text of the badge, as drawn, and its title first."""
    root = ET.fromstring(response.body)
    return [root.find(f"{SVG}title").text] + [text.text for text in root.iter(f"{SVG}text")]


# What it says


def test_badge_of_a_current_member(client):
    park = member(name="Linköping Science Park", slug="linkoping-science-park")

    response = get_badge(client, park)

    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert texts(response) == [
        "Linköping Science Park: IASP member since 2019, science park",
        "IASP MEMBER",
        "Linköping Science Park",
        "Science park · Member since 2019",
    ]


def test_badge_is_an_accessible_image(client):
    root = ET.fromstring(get_badge(client, member()).body)

    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == root.find(f"{SVG}title").get("id")
    assert (root.get("width"), root.get("height")) == ("320", "96")


def test_badge_names_the_kind_as_the_model_does(client):
    district = member(name="Harbour Quarter", kind=Organisation.Kind.INNOVATION_DISTRICT)

    assert "Innovation district · Member since 2019" in texts(get_badge(client, district))


def test_badge_of_a_lapsed_membership_says_not_a_current_member(client):
    park = OrganisationFactory(name="Former Park")
    MembershipFactory(
        organisation=park,
        status=Membership.Status.LAPSED,
        started_on=datetime.date(2015, 1, 1),
        ended_on=datetime.date(2023, 12, 31),
    )

    drawn = texts(get_badge(client, park))

    assert drawn == [
        "Former Park: not a current IASP member",
        "NOT A CURRENT IASP MEMBER",
        "Former Park",
        "Science park",
    ]
    assert not any("Member since" in line for line in drawn)


@pytest.mark.parametrize(
    "membership",
    [
        None,
        {"status": Membership.Status.PENDING},
        {"started_on": datetime.date(2099, 1, 1)},
        {"ended_on": datetime.date(2020, 12, 31), "status": Membership.Status.FORMER},
    ],
    ids=["never", "pending", "not-started", "former"],
)
def test_badge_of_a_non_member_says_not_a_current_member(client, membership):
    park = OrganisationFactory(name="Some Park")
    if membership is not None:
        MembershipFactory(organisation=park, **membership)

    assert texts(get_badge(client, park))[1] == "NOT A CURRENT IASP MEMBER"


def test_badge_follows_the_membership_at_once(client):
    park = member(name="Changing Park")
    assert texts(get_badge(client, park))[1] == "IASP MEMBER"

    membership = park.memberships.get()
    membership.status = Membership.Status.LAPSED
    membership.ended_on = datetime.date.today() - datetime.timedelta(days=1)
    membership.save()

    assert texts(get_badge(client, park))[1] == "NOT A CURRENT IASP MEMBER"


@pytest.mark.parametrize(
    "path",
    [
        "/organisations/nowhere/badge.svg",
        "/organisations/%3Cscript%3E/badge.svg",
        "/organisations/nul%00inside/badge.svg",
        "/organisations/" + "x" * 5000 + "/badge.svg",
    ],
)
def test_badge_of_an_unknown_organisation_is_not_found(client, path):
    response = client.get(path)

    assert response.status_code == 404


def test_badge_escapes_the_name(client):
    park = member(name='<script>alert("x")</script> & Co', slug="tricky")

    response = get_badge(client, park)

    assert b"<script>" not in response.body
    assert b"&lt;script&gt;" in response.body
    assert '<script>alert("x")</script> & Co' in " ".join(texts(response))


def test_badge_wraps_a_long_name_on_two_lines_and_cuts_the_rest(client):
    park = member(
        name="Malaysian Research Accelerator for Technology and Innovation Park Extension",
    )

    drawn = texts(get_badge(client, park))

    assert drawn[2:4] == ["Malaysian Research", "Accelerator for Technology…"]


# Name lines


def test_badge_name_lines_keep_a_short_name_on_one_line():
    assert badge_name_lines("Science Park Ulm") == ["Science Park Ulm"]


def test_badge_name_lines_break_at_words():
    assert badge_name_lines("Zsámbék Future Industry Science and Innovation Park") == [
        "Zsámbék Future Industry",
        "Science and Innovation Park",
    ]


def test_badge_name_lines_cut_a_word_longer_than_a_line():
    lines = badge_name_lines("A" * 70)

    assert lines == ["A" * 28, "A" * 27 + "…"]


def test_badge_name_lines_count_wide_characters_twice():
    lines = badge_name_lines("中关村丰台科技园区" * 4)

    assert all(len(line.rstrip("…")) <= 14 for line in lines)
    assert len(lines) == 2
    assert lines[1].endswith("…")


# Headers


def test_badge_headers_let_other_sites_embed_it_and_keep_it_fresh(client):
    response = get_badge(client, member())

    assert response["Cache-Control"] == "public, max-age=300"
    assert response["Cross-Origin-Resource-Policy"] == "cross-origin"
    assert response["Content-Security-Policy"].startswith("default-src 'none'")
    assert "script-src" not in response["Content-Security-Policy"]
    assert response["ETag"]


def test_badge_headers_are_the_same_on_every_request(client):
    park = member()

    first = get_badge(client, park)
    second = get_badge(client, park)

    for header in ("Cache-Control", "Content-Security-Policy", "Cross-Origin-Resource-Policy"):
        assert second[header] == first[header]
    assert second.body == first.body


def test_badge_conditional_get_answers_not_modified(client):
    park = member()
    etag = get_badge(client, park)["ETag"]

    response = client.get(badge_url(park), headers={"If-None-Match": etag})

    assert response.status_code == 304


def test_badge_etag_changes_with_the_status(client):
    park = member()
    etag = get_badge(client, park)["ETag"]
    park.memberships.update(status=Membership.Status.LAPSED, ended_on=datetime.date(2020, 1, 1))

    response = get_badge(client, park, **{"If-None-Match": etag})

    assert response.status_code == 200
    assert response["ETag"] != etag


@pytest.mark.parametrize("count", [1, 3])
def test_badge_query_count_is_fixed(client, django_assert_num_queries, count):
    park = OrganisationFactory()
    for year in range(count):
        MembershipFactory(
            organisation=park,
            status=Membership.Status.FORMER,
            started_on=datetime.date(2000 + 2 * year, 1, 1),
            ended_on=datetime.date(2001 + 2 * year, 1, 1),
        )
    MembershipFactory(organisation=park, started_on=datetime.date(2019, 1, 1))

    with django_assert_num_queries(1):
        response = get_badge(client, park)

    assert "Member since 2019" in response.body.decode()


# On the profile


def badge_section(response) -> str:
    found = re.search(
        r'<section class="badge-embed"[^>]*>(.*?)</section>', response.content.decode(), re.S
    )
    return found.group(1) if found else ""


def test_member_profile_offers_the_badge_and_its_html(client):
    park = member(name="Fjord & Sea Park", slug="fjord-sea-park")

    section = badge_section(client.get(park.get_absolute_url()))

    assert "Badge for your website" in section
    assert (
        '<img src="/organisations/fjord-sea-park/badge.svg" '
        'alt="Fjord &amp; Sea Park, member of IASP" width="320" height="96">'
    ) in section
    snippet = re.search(r"<textarea[^>]*readonly[^>]*>(.*?)</textarea>", section, re.S).group(1)
    assert html.unescape(snippet) == (
        '<a href="http://testserver/organisations/fjord-sea-park/">'
        '<img src="http://testserver/organisations/fjord-sea-park/badge.svg" '
        'alt="Fjord &amp; Sea Park, member of IASP" width="320" height="96"></a>'
    )


def test_non_member_profile_has_no_badge_section(client):
    park = OrganisationFactory(slug="partner-park")

    response = client.get(park.get_absolute_url())

    assert badge_section(response) == ""
    assert "badge.svg" not in response.content.decode()
