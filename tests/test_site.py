import datetime
import xml.etree.ElementTree as ET

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from agreements.models import Agreement
from conferences.models import Conference
from core import aggregates
from portal.tasks import refresh_aggregates
from tests.factories import (
    AgreementPartyFactory,
    ConferenceFactory,
    MembershipFactory,
    OrganisationFactory,
    bilateral_agreement,
)

pytestmark = pytest.mark.django_db
SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def upcoming_conference(days_ahead: int, **kwargs) -> Conference:
    start = timezone.localdate() + datetime.timedelta(days=days_ahead)
    return ConferenceFactory(
        start_date=start,
        end_date=start + datetime.timedelta(days=2),
        status=Conference.Status.REGISTRATION_OPEN,
        **kwargs,
    )


def test_home_shows_the_next_conference_with_days_to_go(client):
    upcoming_conference(40, title="Later World Conference")
    upcoming_conference(12, title="Next World Conference", city="Nantes", country="FR")
    response = client.get("/")
    hero = response.content.decode().split('class="hero"')[1].split("</section>")[0]
    assert "Next World Conference" in hero
    assert "Nantes, France" in hero
    assert '<span class="countdown">12</span> days to go' in hero
    assert "Later World Conference" in response.content.decode()


def test_home_gives_no_countdown_when_only_the_month_is_known(client):
    year = timezone.localdate().year + 1
    ConferenceFactory(
        title="World Conference in France",
        start_date=datetime.date(year, 10, 1),
        end_date=datetime.date(year, 10, 31),
        date_precision=Conference.DatePrecision.MONTH,
        status=Conference.Status.PLANNED,
    )
    content = client.get("/").content.decode()
    hero = content.split('class="hero"')[1].split("</section>")[0]
    assert f"October {year}" in hero
    assert "days to go" not in hero


def hero_of(response) -> str:
    return response.content.decode().split('class="hero"')[1].split("</section>")[0]


def test_home_next_conference_is_the_soonest_with_known_dates(client):
    """A conference known only by its month comes after one whose days are known, even if
    its month is sooner: its days may fall anywhere in it."""
    this_month = timezone.localdate().replace(day=1) + datetime.timedelta(days=40)
    ConferenceFactory(
        title="Sometime next month",
        slug="sometime",
        start_date=this_month.replace(day=1),
        end_date=this_month.replace(day=28),
        date_precision=Conference.DatePrecision.MONTH,
        status=Conference.Status.PLANNED,
    )
    upcoming_conference(90, title="Dated World Conference", slug="dated")

    response = client.get("/")

    hero = hero_of(response)
    assert "Dated World Conference" in hero
    assert '<span class="countdown">90</span> days to go' in hero
    also = response.content.decode().split('id="upcoming"')[1]
    assert "Sometime next month" in also


def test_home_counts_a_single_day_to_go(client):
    upcoming_conference(1, title="Tomorrow's World Conference")

    assert '<span class="countdown">1</span> day to go' in hero_of(client.get("/"))


def test_home_conference_under_way_has_no_countdown(client):
    upcoming_conference(-1, title="Running World Conference", slug="running")

    hero = hero_of(client.get("/"))

    assert "Taking place now" in hero
    assert "Running World Conference" in hero
    assert "to go" not in hero


def test_home_next_conference_offers_registration_while_open(client):
    upcoming_conference(30, title="Open World Conference", registration_url="https://e.org/r")

    hero = hero_of(client.get("/"))

    assert 'href="https://e.org/r" rel="external">Register<span class="visually-hidden">' in hero


def test_home_shows_no_draft_conference(client):
    upcoming_conference(5, title="Draft World Conference", is_published=False)
    upcoming_conference(50, title="Public World Conference")

    content = client.get("/").content.decode()

    assert "Public World Conference" in hero_of(client.get("/"))
    assert "Draft World Conference" not in content


def test_home_says_so_when_no_conference_is_announced(client):
    ConferenceFactory(start_date=datetime.date(2020, 1, 1), end_date=datetime.date(2020, 1, 2))
    assert "No upcoming conference has been announced yet." in client.get("/").content.decode()


def test_home_key_figures_count_current_members_countries_and_public_agreements(client):
    MembershipFactory(organisation__country="TH")
    MembershipFactory(organisation__country="TH")
    MembershipFactory(organisation__country="GB")
    OrganisationFactory(country="FR")  # not a member
    bilateral_agreement()
    bilateral_agreement(is_public=False)
    figures = client.get("/").context["figures"]
    assert figures["members"] == 3
    assert figures["countries"] == 2
    assert figures["agreements"] == 1


def test_home_lists_latest_public_agreements_only(client):
    bilateral_agreement(title="Public cooperation")
    bilateral_agreement(title="Confidential cooperation", is_public=False)
    bilateral_agreement(title="Draft cooperation", status=Agreement.Status.DRAFT, signed_on=None)
    content = client.get("/").content.decode()
    assert "Public cooperation" in content
    assert "Confidential cooperation" not in content
    assert "Draft cooperation" not in content


@pytest.mark.parametrize("rows", [1, 5])
def test_home_runs_a_fixed_number_of_queries(client, django_assert_num_queries, rows):
    for n in range(rows):
        upcoming_conference(10 + n)
        ConferenceFactory(
            start_date=datetime.date(2020, 1, n + 1), end_date=datetime.date(2020, 1, n + 2)
        )
        agreement = bilateral_agreement()
        AgreementPartyFactory(agreement=agreement)
        MembershipFactory()
    # The key figures are the worker's (one query, see the next test when they are not).
    refresh_aggregates.call(changed_at=aggregates.clock())
    with django_assert_num_queries(6):
        assert client.get("/").status_code == 200


def test_home_counts_the_key_figures_itself_while_the_worker_has_not(
    client, django_assert_num_queries
):
    MembershipFactory()
    # With nothing to list, the page's four (the stored figures' included), then the three
    # counts and storing them.
    with django_assert_num_queries(4 + 4):
        response = client.get("/")
    assert response.context["figures"]["members"] == 1


def test_home_key_figures_come_from_the_worker_and_follow_a_change(client):
    MembershipFactory()
    refresh_aggregates.call(changed_at=aggregates.clock())
    assert client.get("/").context["figures"]["members"] == 1

    MembershipFactory()

    # Counted for an older change: recounted (at once in the tests, where no lag is allowed).
    assert client.get("/").context["figures"]["members"] == 2


def test_sitemap_lists_public_pages_and_hides_non_public_agreements(client):
    conference = ConferenceFactory()
    organisation = MembershipFactory().organisation
    public = bilateral_agreement()
    hidden = bilateral_agreement(is_public=False)
    response = client.get("/sitemap.xml")
    locations = {
        element.text for element in ET.fromstring(response.content).findall(".//sm:loc", SITEMAP_NS)
    }
    assert f"http://testserver{conference.get_absolute_url()}" in locations
    assert f"http://testserver{organisation.get_absolute_url()}" in locations
    assert f"http://testserver{public.get_absolute_url()}" in locations
    assert f"http://testserver{hidden.get_absolute_url()}" not in locations


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out_of_the_admin(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "Disallow: /admin/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines


def test_unknown_page_gives_the_friendly_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    content = response.content.decode()
    assert "We could not find that page" in content
    assert 'action="/search/"' in content


def test_server_error_page_renders_without_a_request():
    html = render_to_string("500.html")
    assert "Something went wrong on our side" in html
    assert 'href="/"' in html


def test_every_page_links_to_the_api_documentation(client):
    response = client.get("/")

    assert '<a href="/api/v1/docs/">API for partners</a>' in response.content.decode()
