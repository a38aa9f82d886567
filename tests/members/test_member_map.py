import datetime
import gzip
import json
import re
from decimal import Decimal

import brotli
import pytest
from django.core.management import call_command
from django.urls import reverse

from core import aggregates
from core.models import Aggregate
from members.map_points import MAP_POINTS_KEY
from members.models import Membership, Organisation
from portal.tasks import refresh_aggregates
from tests.factories import (
    AgreementFactory,
    AgreementPartyFactory,
    DivisionFactory,
    MembershipFactory,
    OrganisationFactory,
)

pytestmark = pytest.mark.django_db

MAP = reverse("members:member-map")
MAP_DATA = reverse("members:member-map-data")


def recount() -> None:
    refresh_aggregates.call(changed_at=aggregates.clock())


def member(**kwargs) -> Organisation:
    kwargs.setdefault("latitude", Decimal("58.394"))
    kwargs.setdefault("longitude", Decimal("15.565"))
    organisation = OrganisationFactory(**kwargs)
    MembershipFactory(organisation=organisation)
    return organisation


def lapsed(**kwargs) -> Organisation:
    organisation = OrganisationFactory(**kwargs)
    MembershipFactory(
        organisation=organisation,
        status=Membership.Status.LAPSED,
        started_on=datetime.date(2015, 1, 1),
        ended_on=datetime.date(2022, 12, 31),
    )
    return organisation


def table_rows(content: str, heading_id: str) -> list[list[str]]:
    """The body rows of the table in the section labelled by `heading_id`, as cell texts."""
    section = re.search(
        rf'<section aria-labelledby="{heading_id}">(.*?)</section>', content, re.S
    ).group(1)
    body = re.search(r"<tbody>(.*?)</tbody>", section, re.S).group(1)
    return [
        [
            re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


# The page


def test_member_map_counts_current_members_per_country(client):
    for _ in range(3):
        member(country="TH")
    member(country="SE")
    member(country="BR", latitude=None, longitude=None)
    lapsed(country="SE")
    OrganisationFactory(country="CN")

    content = client.get(MAP).content.decode()

    assert table_rows(content, "countries-heading") == [
        ["Thailand", "3"],
        ["Brazil", "1"],
        ["Sweden", "1"],
    ]
    assert '<a href="/members/?country=TH">Thailand</a>' in content
    assert "5 current members of IASP in 3 countries." in content


def test_member_map_country_link_filters_the_directory(client):
    member(country="TH", name="Thai Park")
    member(country="SE", name="Swedish Park")

    content = client.get("/members/?country=TH").content.decode()

    assert "Thai Park" in content
    assert "Swedish Park" not in content


def test_member_map_lists_members_with_city_and_country(client):
    member(name="Fjord Park", city="Bergen", country="NO", division=DivisionFactory(name="Europe"))
    member(name="Unplaced Park", city="", country="TH", division=None)
    lapsed(name="Lapsed Park")

    content = client.get(MAP).content.decode()

    assert table_rows(content, "members-heading") == [
        ["Fjord Park", "Bergen", "Norway", "Europe"],
        ["Unplaced Park", "", "Thailand", ""],
    ]


def test_member_map_member_list_is_paginated(client):
    for number in range(51):
        member(name=f"Park {number:02}")

    first = client.get(MAP).content.decode()
    second = client.get(MAP, {"page": 2}).content.decode()

    assert len(table_rows(first, "members-heading")) == 50
    assert [row[0] for row in table_rows(second, "members-heading")] == ["Park 50"]
    assert "Page 2 of 2" in second


@pytest.mark.parametrize("page", ["abc", "0", "999", "-1", "1.5", "<script>"])
def test_member_map_bad_page_is_not_found_not_an_error(client, page):
    member()

    response = client.get(MAP, {"page": page})

    assert response.status_code == 404


def test_member_map_ignores_unknown_parameters(client):
    member(name="Fjord Park")

    response = client.get(MAP, {"country": "<script>", "zoom": "x" * 500})

    assert response.status_code == 200
    assert "Fjord Park" in response.content.decode()
    assert "<script>alert" not in response.content.decode()


def test_member_map_legend_colours_divisions_of_mapped_members(client):
    europe = DivisionFactory(name="Europe")
    asia = DivisionFactory(name="Asia Pacific")
    africa = DivisionFactory(name="Africa")
    member(division=europe)
    member(division=europe)
    member(division=asia)
    member(division=None)
    member(division=africa, latitude=None, longitude=None)

    content = client.get(MAP).content.decode()

    legend = re.findall(
        r'<li data-division="(\d*)" data-colour="(\w+)" data-name="([^"]+)">.*?\((\d+)\)',
        content,
    )
    # Colours follow the place among all divisions, so Africa keeps colour 0 to itself.
    assert legend == [
        (str(asia.pk), "1", "Asia Pacific", "1"),
        (str(europe.pk), "2", "Europe", "2"),
        ("", "none", "No division", "1"),
    ]
    assert "1 member has no location yet and is only in the tables." in content


def test_member_map_legend_colours_wrap_around_the_palette(client):
    divisions = [DivisionFactory(name=f"Division {number:02}") for number in range(10)]
    member(division=divisions[1])
    member(division=divisions[9])

    content = client.get(MAP).content.decode()

    assert re.findall(r'<li data-division="\d*" data-colour="(\w+)"', content) == ["1", "1"]
    assert "division-colour-1" in content


def test_member_map_and_network_give_a_division_the_same_colour(client):
    africa, asia, europe = (
        DivisionFactory(name=name) for name in ["Africa", "Asia Pacific", "Europe"]
    )
    # On the map only Asia Pacific and Europe; in the network only Africa and Europe.
    member(division=asia)
    lyon = member(division=europe)
    cairo = OrganisationFactory(division=africa)
    agreement = AgreementFactory()
    for order, party in enumerate([lyon, cairo]):
        AgreementPartyFactory(agreement=agreement, organisation=party, order=order)

    swatch = r'__swatch division-colour-(\w+)" aria-hidden="true"></span>([^<]+) <span'
    map_page = client.get(MAP).content.decode()
    network_page = client.get(reverse("agreements:network")).content.decode()
    on_map = {name: colour for colour, name in re.findall(swatch, map_page)}
    in_network = {name: colour for colour, name in re.findall(swatch, network_page)}

    assert on_map == {"Asia Pacific": "1", "Europe": "2"}
    assert in_network == {"Africa": "0", "Europe": "2"}


def test_member_map_loads_only_the_sites_own_scripts_and_styles(client):
    member()

    content = client.get(MAP).content.decode()

    sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', content)
    assets = [source for source in sources if source.endswith((".js", ".css"))]
    assert "/static/js/member-map.js" in assets
    assert all(asset.startswith("/static/") for asset in assets)
    # Leaflet is named for the page's script to load once the map is in view, not loaded.
    assert not any("vendor" in asset for asset in assets)
    libraries = re.search(r'data-scripts="([^"]+)"', content).group(1).split()
    assert libraries == [
        "/static/vendor/leaflet-1.9.4/leaflet.js",
        "/static/vendor/leaflet.markercluster-1.5.3/leaflet.markercluster.js",
        "/static/vendor/topojson-client-3.1.0/topojson-client.min.js",
    ]
    assert 'data-outline-url="/static/vendor/world-atlas-2.0.2/countries-110m.json"' in content
    assert f'data-points-url="{MAP_DATA}"' in content
    assert "<script>" not in content
    assert 'style="' not in content


def test_member_map_page_draws_the_members_per_country_on_the_outline(client):
    member(country="HU")
    member(country="HU")
    member(country="SE")

    content = client.get(MAP).content.decode()

    assert '<image href="/members/map/outline.svg" width="1000" height="' in content
    bubbles = re.findall(r'<g class="map-bubble"><title>([^<]+)</title>', content)
    assert bubbles == ["Hungary: 2", "Sweden: 1"]  # the larger first, under the smaller


def test_world_outline_is_an_svg_kept_a_day(client):
    response = client.get("/members/map/outline.svg", HTTP_ACCEPT_ENCODING="gzip")

    assert response["Content-Type"] == "image/svg+xml"
    assert "max-age=86400" in response["Cache-Control"]
    assert response["Content-Encoding"] == "gzip"


def test_member_map_text_for_the_script_is_a_json_block(client):
    content = client.get(MAP).content.decode()

    block = re.search(
        r'<script id="member-map-text" type="application/json">(.*?)</script>', content
    ).group(1)
    assert json.loads(block)["cluster"] == "{count} members: zoom in"


def test_member_map_is_in_the_insights_navigation(client):
    content = client.get(MAP).content.decode()

    assert f'<a href="{MAP}" aria-current="page">Map of members</a>' in content


def test_member_map_without_members(client):
    response = client.get(MAP)

    assert response.status_code == 200
    assert "There are no current members yet." in response.content.decode()


MAP_QUERIES = 4  # legend, count per country, the member list's count and page


@pytest.mark.parametrize("count", [1, 8])
def test_member_map_query_count_is_fixed(client, django_assert_num_queries, count):
    countries = ["TH", "GB", "CN", "ES", "BR", "SA", "KR", "ZA"]
    for number in range(count):
        member(country=countries[number])

    with django_assert_num_queries(MAP_QUERIES):
        response = client.get(MAP)

    assert len(table_rows(response.content.decode(), "countries-heading")) == count


# The points


def test_member_map_data_has_current_members_with_coordinates(client):
    europe = DivisionFactory(name="Europe")
    member(
        name="Zsámbék Park",
        slug="zsambek-park",
        division=europe,
        latitude=Decimal("47.548300"),
        longitude=Decimal("18.720000"),
    )
    member(
        name="Melbourne District",
        slug="no-division",
        division=None,
        latitude=Decimal("-37.8083"),
        longitude=Decimal("144.9631"),
    )
    member(slug="unplaced", latitude=None, longitude=None)
    lapsed(slug="lapsed", latitude=Decimal("1"), longitude=Decimal("1"))
    OrganisationFactory(slug="never", latitude=Decimal("2"), longitude=Decimal("2"))

    response = client.get(MAP_DATA)

    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert data["fields"] == ["slug", "name", "division", "latitude", "longitude"]
    assert data["profile_url"] == "/organisations/{slug}/"
    assert data["members"] == [
        ["zsambek-park", "Zsámbék Park", europe.pk, 47.5483, 18.72],
        ["no-division", "Melbourne District", None, -37.8083, 144.9631],
    ]


@pytest.mark.parametrize("count", [1, 8])
def test_member_map_data_query_count_is_fixed(client, django_assert_num_queries, count):
    division = DivisionFactory()
    for _ in range(count):
        member(division=division)

    recount()

    # The points as the worker keeps them.
    with django_assert_num_queries(1):
        response = client.get(MAP_DATA)

    assert len(response.json()["members"]) == count


def test_member_map_data_is_read_from_the_database_once_per_version(client, settings):
    member(slug="first")
    recount()
    settings.PAGE_CACHE_SECONDS = 0
    assert [row[0] for row in client.get(MAP_DATA).json()["members"]] == ["first"]

    # The same version again: the process sends what it read, the database sends nothing.
    Aggregate.objects.filter(key=MAP_POINTS_KEY).update(payload="not read")
    assert [row[0] for row in client.get(MAP_DATA).json()["members"]] == ["first"]

    member(slug="second")
    recount()
    assert [row[0] for row in client.get(MAP_DATA).json()["members"]] == ["first", "second"]


@pytest.mark.parametrize("cache", ["on", "off"])
def test_member_map_data_is_sent_in_the_best_coding_the_caller_takes(client, settings, cache):
    if cache == "off":
        settings.PAGE_CACHE_SECONDS = 0
    member(slug="zsambek-park", name="Zsámbék Park", division=None)
    recount()

    # Each caller in turn, so that a cached answer in one coding is never sent in another.
    browser = client.get(MAP_DATA, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    gzip_only = client.get(MAP_DATA, HTTP_ACCEPT_ENCODING="gzip, br;q=0")
    plain = client.get(MAP_DATA)
    refused = client.get(MAP_DATA, HTTP_ACCEPT_ENCODING="br;q=0, gzip;q=0")
    browser_again = client.get(MAP_DATA, HTTP_ACCEPT_ENCODING="br")

    points = [["zsambek-park", "Zsámbék Park", None, 58.394, 15.565]]
    assert browser["Content-Encoding"] == browser_again["Content-Encoding"] == "br"
    assert "Accept-Encoding" in browser["Vary"]
    assert json.loads(brotli.decompress(browser.content))["members"] == points
    assert json.loads(brotli.decompress(browser_again.content))["members"] == points
    assert gzip_only["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(gzip_only.content))["members"] == points
    for answer in (plain, refused):
        assert not answer.has_header("Content-Encoding")
        assert answer.json()["members"] == points


def test_member_map_data_is_tagged_by_version_and_coding(client, settings):
    settings.PAGE_CACHE_SECONDS = 0
    member(slug="first")
    recount()
    browser = client.get(MAP_DATA, HTTP_ACCEPT_ENCODING="br")
    plain = client.get(MAP_DATA)

    again = client.get(MAP_DATA, HTTP_ACCEPT_ENCODING="br", HTTP_IF_NONE_MATCH=browser["ETag"])
    other_coding = client.get(MAP_DATA, HTTP_IF_NONE_MATCH=browser["ETag"])
    member(slug="second")
    recount()
    changed = client.get(MAP_DATA, HTTP_ACCEPT_ENCODING="br", HTTP_IF_NONE_MATCH=browser["ETag"])

    # The tag names the version and the coding (no hash of the body).
    assert browser["ETag"].startswith('"points-') and browser["ETag"].endswith('-br"')
    assert plain["ETag"].endswith('-identity"')
    assert (again.status_code, again.content) == (304, b"")
    assert other_coding.status_code == 200
    assert other_coding["ETag"] == plain["ETag"]
    assert changed.status_code == 200
    assert changed["ETag"] not in (browser["ETag"], plain["ETag"])
    members = json.loads(brotli.decompress(changed.content))["members"]
    assert [row[0] for row in members] == ["first", "second"]


def test_member_map_data_written_before_a_change_is_kept_until_the_worker_writes(client, settings):
    member(slug="first")
    recount()
    member(slug="second")
    settings.AGGREGATES_MAX_LAG_SECONDS = 300

    response = client.get(MAP_DATA)

    # The worker has not written the new member yet: the cache keeps the points it wrote
    # until it writes them again.
    assert [row[0] for row in response.json()["members"]] == ["first"]
    assert response["X-Cache"] == "miss"
    assert client.get(MAP_DATA)["X-Cache"] == "hit"
    recount()
    rewritten = client.get(MAP_DATA)
    assert rewritten["X-Cache"] == "miss"
    assert [row[0] for row in rewritten.json()["members"]] == ["first", "second"]


def test_member_map_data_ignores_parameters(client):
    member()

    response = client.get(MAP_DATA, {"division": "x' OR 1=1", "page": "-1"})

    assert response.status_code == 200
    assert len(response.json()["members"]) == 1


# The demo data


def test_demo_places_zstip_in_zsambek_and_fengtai_in_beijing(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_demo", verbosity=0)

    zstip = Organisation.objects.get(short_name="ZSTIP")
    fengtai = Organisation.objects.get(name="Zhongguancun Fengtai Science Park")

    assert (round(zstip.latitude, 1), round(zstip.longitude, 1)) == (
        Decimal("47.5"),
        Decimal("18.7"),
    )
    assert (round(fengtai.latitude, 1), round(fengtai.longitude, 1)) == (
        Decimal("39.9"),
        Decimal("116.3"),
    )
    # Every demo organisation with a known town is on the map.
    assert not Organisation.objects.exclude(city="").filter(latitude__isnull=True).exists()
