"""A conference page's dates and edition, and its links along the series."""

import datetime

import pytest
from django.utils import timezone

from conferences.models import Conference
from tests.conferences.pages import detail_url, page_body
from tests.factories import ConferenceFactory, DivisionFactory

pytestmark = pytest.mark.django_db


def test_detail_does_not_repeat_an_edition_label_the_title_holds(client):
    conference = ConferenceFactory(edition=44, title="44th World Conference in Dhahran")

    html = page_body(client.get(detail_url(conference)))

    assert html.count("44th World Conference") == 2  # the breadcrumb and the heading


def test_detail_month_precision_shows_only_the_month(client):
    year = timezone.localdate().year + 1
    conference = ConferenceFactory(
        start_date=datetime.date(year, 10, 1),
        end_date=datetime.date(year, 10, 31),
        date_precision=Conference.DatePrecision.MONTH,
        status=Conference.Status.PLANNED,
    )

    html = client.get(detail_url(conference)).content.decode()

    assert f"October {year}" in html
    assert "1 October" not in html
    assert "exact dates to be announced" in html


def test_detail_year_precision_shows_only_the_year(client):
    conference = ConferenceFactory(
        start_date=datetime.date(2027, 1, 1),
        end_date=datetime.date(2027, 12, 31),
        date_precision=Conference.DatePrecision.YEAR,
    )

    html = client.get(detail_url(conference)).content.decode()

    assert '<strong><time datetime="2027">2027</time></strong>' in html


def test_detail_dates_across_months(client):
    conference = ConferenceFactory(
        start_date=datetime.date(2024, 9, 30), end_date=datetime.date(2024, 10, 3)
    )

    html = client.get(detail_url(conference)).content.decode()

    assert "30 September – 3 October 2024" in html


def test_detail_links_previous_and_next_edition_of_the_series(client):
    division = DivisionFactory()
    first = ConferenceFactory(edition=1, start_date=datetime.date(2023, 5, 1))
    second = ConferenceFactory(edition=2, start_date=datetime.date(2024, 5, 1))
    third = ConferenceFactory(edition=3, start_date=datetime.date(2025, 5, 1))
    ConferenceFactory(
        kind=Conference.Kind.DIVISION,
        division=division,
        edition=1,
        title="Division meeting between",
        slug="division-between",
        start_date=datetime.date(2024, 8, 1),
    )
    for conference in (first, second, third):
        conference.end_date = conference.start_date
        conference.save()

    html = client.get(detail_url(second)).content.decode()

    assert (
        f'<a href="{detail_url(first)}" rel="prev">{first.title}</a> '
        '<span class="muted">(<time datetime="2023-05-01">1 May 2023</time>)</span>'
    ) in html
    assert (
        f'<a href="{detail_url(third)}" rel="next">{third.title}</a> '
        '<span class="muted">(<time datetime="2025-05-01">1 May 2025</time>)</span>'
    ) in html
    assert "Division meeting between" not in html


def test_detail_edition_link_shows_dates_as_precisely_as_known(client):
    current = ConferenceFactory(edition=1, start_date=datetime.date(2024, 5, 1))
    ConferenceFactory(
        edition=2,
        title="Next one",
        start_date=datetime.date(2026, 10, 1),
        end_date=datetime.date(2026, 10, 31),
        date_precision=Conference.DatePrecision.MONTH,
    )

    html = client.get(detail_url(current)).content.decode()

    october = '<time datetime="2026-10">October 2026</time>'
    assert f'rel="next">Next one</a> <span class="muted">({october})</span>' in html
    assert 'rel="prev"' not in html


def test_detail_of_an_event_outside_any_series_links_no_edition(client):
    ConferenceFactory(edition=1, start_date=datetime.date(2023, 5, 1))
    event = ConferenceFactory(kind=Conference.Kind.OTHER, edition=None)

    html = client.get(detail_url(event)).content.decode()

    assert 'rel="prev"' not in html
    assert 'rel="next"' not in html


def test_detail_division_series_stays_within_its_division(client):
    division, other = DivisionFactory(), DivisionFactory()
    kwargs = {"kind": Conference.Kind.DIVISION}
    earlier = ConferenceFactory(
        division=division, edition=1, slug="d-1", start_date=datetime.date(2022, 3, 1), **kwargs
    )
    ConferenceFactory(
        division=other, edition=1, slug="o-1", start_date=datetime.date(2023, 3, 1), **kwargs
    )
    current = ConferenceFactory(
        division=division, edition=2, slug="d-2", start_date=datetime.date(2024, 3, 1), **kwargs
    )
    for conference in (earlier, current):
        conference.end_date = conference.start_date
        conference.save()

    html = client.get(detail_url(current)).content.decode()

    assert f'<a href="{detail_url(earlier)}" rel="prev">' in html
    assert 'rel="next"' not in html


def test_editions_skip_drafts_and_order_a_shared_start_date_by_key():
    def world(edition, start, **kwargs):
        return ConferenceFactory(edition=edition, start_date=start, end_date=start, **kwargs)

    first = world(1, datetime.date(2021, 5, 1))
    world(2, datetime.date(2022, 5, 1), is_published=False)
    same_day = [world(edition, datetime.date(2023, 5, 1)) for edition in (3, 4, 5)]
    last = world(6, datetime.date(2024, 5, 1))

    def around(conference):
        editions = Conference.objects.get(pk=conference.pk).editions
        return (
            editions.previous and editions.previous.slug,
            editions.next and editions.next.slug,
        )

    assert around(first) == (None, same_day[0].slug)
    assert around(same_day[0]) == (first.slug, same_day[1].slug)
    assert around(same_day[1]) == (same_day[0].slug, same_day[2].slug)
    assert around(same_day[2]) == (same_day[1].slug, last.slug)
    assert around(last) == (same_day[2].slug, None)
    # What a link shows is read; the rest of the record is not.
    previous = Conference.objects.get(pk=last.pk).editions.previous
    assert (previous.title, previous.start_date, previous.get_absolute_url()) == (
        same_day[2].title,
        datetime.date(2023, 5, 1),
        same_day[2].get_absolute_url(),
    )
    assert "description" in previous.get_deferred_fields()
