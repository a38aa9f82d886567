"""The list of conferences: upcoming and past, filters, paging and queries."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from conferences.aggregates import LIST_FACTS_KEY
from conferences.models import Conference
from core import aggregates
from core.models import Aggregate
from core.pagination import CappedPaginator
from portal.tasks import refresh_aggregates
from tests.factories import ConferenceFactory, DivisionFactory, SessionFactory, TopicFactory

pytestmark = pytest.mark.django_db

LIST_URL = reverse("conferences:conference-list")


def days_from_today(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def dated_conference(start_in_days: int, length: int = 3, **kwargs) -> Conference:
    start = days_from_today(start_in_days)
    return ConferenceFactory(
        start_date=start, end_date=start + datetime.timedelta(days=length - 1), **kwargs
    )


def test_list_separates_upcoming_from_past(client):
    dated_conference(200, title="Later upcoming", slug="later")
    dated_conference(20, title="Soon upcoming", slug="soon")
    dated_conference(-1, length=2, title="Ends today", slug="today")
    dated_conference(-400, title="Last year", slug="last-year")
    dated_conference(-40, title="Last month", slug="last-month")

    html = client.get(LIST_URL).content.decode()

    upcoming, past = html.split('id="past-heading"')
    order = [upcoming.index(title) for title in ("Ends today", "Soon upcoming", "Later upcoming")]
    assert order == sorted(order)
    assert "Last month" not in upcoming
    assert past.index("Last month") < past.index("Last year")
    assert "Soon upcoming" not in past
    assert "2 past conferences" in past


def test_list_shows_cards_with_dates_and_place(client):
    ConferenceFactory(edition=42, title="IASP 2025 Beijing")

    html = client.get(LIST_URL).content.decode()

    assert "42nd World Conference" in html
    assert "15–19 September 2025</time> · Beijing, China" in html


def test_list_empty_says_so(client):
    html = client.get(LIST_URL).content.decode()

    assert "No conferences have been recorded yet." in html


def test_list_filter_by_kind(client):
    ConferenceFactory(title="A world one")
    ConferenceFactory(
        kind=Conference.Kind.DIVISION, division=DivisionFactory(), title="A division one"
    )

    html = client.get(LIST_URL, {"kind": "division"}).content.decode()

    assert "A division one" in html
    assert "A world one" not in html


def test_list_filter_by_year(client):
    ConferenceFactory(
        title="In 2019", start_date=datetime.date(2019, 6, 1), end_date=datetime.date(2019, 6, 3)
    )
    ConferenceFactory(title="In 2025")

    html = client.get(LIST_URL, {"year": "2019"}).content.decode()

    assert "In 2019" in html
    assert "In 2025" not in html
    assert '<option value="2025">2025</option>' in html


def test_list_filter_by_country(client):
    ConferenceFactory(title="In China", country="CN")
    ConferenceFactory(title="In Spain", country="ES", city="Málaga")

    html = client.get(LIST_URL, {"country": "ES"}).content.decode()

    assert "In Spain" in html
    assert "In China" not in html
    assert '<option value="CN">China</option>' in html


def test_list_filter_by_division(client):
    division = DivisionFactory(slug="europe")
    ConferenceFactory(kind=Conference.Kind.DIVISION, division=division, title="European one")
    ConferenceFactory(kind=Conference.Kind.DIVISION, division=DivisionFactory(), title="Other one")

    html = client.get(LIST_URL, {"division": "europe"}).content.decode()

    assert "European one" in html
    assert "Other one" not in html


def test_list_filter_by_topic_of_conference_or_session(client):
    topic = TopicFactory(slug="ai")
    ConferenceFactory(title="Tagged conference").topics.add(topic)
    SessionFactory(conference=ConferenceFactory(title="Tagged session")).topics.add(topic)
    ConferenceFactory(title="Untagged")

    html = client.get(LIST_URL, {"topic": "ai"}).content.decode()

    assert "Tagged conference" in html
    assert "Tagged session" in html
    assert "Untagged" not in html


def test_list_filter_without_match_says_so(client):
    ConferenceFactory(country="CN")

    html = client.get(LIST_URL, {"kind": "other"}).content.decode()

    assert "No conferences match these filters." in html


@pytest.mark.parametrize(
    "params",
    [
        {"kind": "party"},
        {"year": "abc"},
        {"year": "1800"},
        {"country": "ZZ"},
        {"division": "nowhere"},
        {"topic": "nothing"},
        {"kind": "world", "year": "x" * 500},
    ],
)
def test_list_invalid_filter_shows_error_not_500(client, params):
    ConferenceFactory(title="Should not be listed")

    response = client.get(LIST_URL, params)

    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="errorlist"' in html
    assert "Select a valid choice" in html
    assert "Should not be listed" not in html


def test_list_pagination_keeps_filters(client):
    for number in range(21):
        dated_conference(-100 - number * 10, title=f"Past {number}", slug=f"past-{number}")

    html = client.get(LIST_URL, {"kind": "world"}).content.decode()
    assert 'href="?kind=world&amp;page=2" rel="next"' in html
    assert "Page 1 of 2" in html

    second = client.get(LIST_URL, {"kind": "world", "page": 2}).content.decode()
    assert "Past 20" in second
    assert "Past 0" not in second
    assert 'id="upcoming-heading"' not in second
    assert 'href="?kind=world&amp;page=1" rel="prev"' in second


@pytest.mark.parametrize("count", [1, 25])
def test_list_query_count_is_fixed(client, django_assert_num_queries, count):
    for number in range(count):
        dated_conference(
            -100 - number * 10,
            kind=Conference.Kind.DIVISION,
            division=DivisionFactory(),
            slug=f"past-{number}",
        )
        dated_conference(100 + number * 10, slug=f"upcoming-{number}").topics.add(TopicFactory())
    # The years, countries, divisions and topics the filters offer are kept by the worker.
    refresh_aggregates.call(changed_at=aggregates.clock())

    # The past ones are not counted: the worker keeps their number.
    with django_assert_num_queries(3):
        response = client.get(LIST_URL)

    assert response.content.decode().count('class="card"') == 2 * min(count, 20)
    assert f"{count} past conference" in response.content.decode()


@pytest.mark.parametrize("count", [1, 25])
def test_filtered_list_query_count_is_fixed(client, django_assert_num_queries, count):
    for number in range(count):
        dated_conference(-100 - number * 10, slug=f"past-{number}")
        dated_conference(100 + number * 10, slug=f"upcoming-{number}")
    refresh_aggregates.call(changed_at=aggregates.clock())

    # A filtered list counts its past conferences.
    with django_assert_num_queries(4):
        response = client.get(LIST_URL, {"kind": "world"})

    assert f"{count} past conference" in response.content.decode()


def test_the_division_and_topic_choices_are_those_the_worker_kept(client):
    DivisionFactory(name="Africa", slug="africa")
    energy = TopicFactory(name="Energy", slug="energy")
    TopicFactory(name="Unused", slug="unused")
    dated_conference(100, slug="upcoming").topics.add(energy)
    refresh_aggregates.call(changed_at=aggregates.clock())

    html = client.get(LIST_URL).content.decode()
    assert '<option value="africa">Africa</option>' in html
    assert '<option value="energy">Energy</option>' in html
    # Only the topics some conference or session has are offered.
    assert 'value="unused"' not in html

    # Renamed: the kept choices show the new name once the worker has counted again.
    energy.name = "Clean energy"
    energy.save()
    refresh_aggregates.call(changed_at=aggregates.clock())
    assert '<option value="energy">Clean energy</option>' in client.get(LIST_URL).content.decode()


def test_choices_are_read_from_the_tables_when_the_kept_count_has_none(client):
    DivisionFactory(name="Africa", slug="africa")
    refresh_aggregates.call(changed_at=aggregates.clock())
    # A count stored before the choices were kept.
    stored = Aggregate.objects.get(key=LIST_FACTS_KEY)
    del stored.payload["divisions"], stored.payload["topics"]
    stored.save(update_fields=["payload"])

    html = client.get(LIST_URL).content.decode()
    assert '<option value="africa">Africa</option>' in html
    assert '<option value="" selected>Any division</option>' in html


def test_list_shows_the_soonest_upcoming_and_links_to_all_of_them(client):
    for number in range(22):
        dated_conference(10 + number, title=f"Upcoming {number}", slug=f"upcoming-{number}")
    dated_conference(-100, title="Past one", slug="past-one")

    html = client.get(LIST_URL, {"kind": "world"}).content.decode()

    upcoming, past = html.split('id="past-heading"')
    assert "Upcoming 19<" in upcoming
    assert "Upcoming 20<" not in html
    assert '<a href="?kind=world&amp;when=upcoming">All upcoming conferences</a>' in upcoming
    assert "Past one" in past

    listed = client.get(LIST_URL, {"kind": "world", "when": "upcoming"}).content.decode()
    assert "22 upcoming conferences" in listed
    assert 'id="past-heading"' not in listed
    assert "Past one" not in listed
    order = [listed.index(f"Upcoming {number}<") for number in range(20)]
    assert order == sorted(order)
    assert 'href="?kind=world&amp;when=upcoming&amp;page=2" rel="next"' in listed

    second = client.get(LIST_URL, {"when": "upcoming", "page": 2}).content.decode()
    assert "Upcoming 21<" in second and "Upcoming 19<" not in second


def test_list_with_few_upcoming_has_no_link_to_all(client):
    dated_conference(10, title="Only upcoming", slug="only")

    html = client.get(LIST_URL).content.decode()

    assert "Only upcoming" in html
    assert "All upcoming conferences" not in html


def test_list_count_past_the_cap_says_more_than(client, monkeypatch):
    monkeypatch.setattr(CappedPaginator, "count_cap", 2)
    for number in range(3):
        dated_conference(-100 - number * 10, slug=f"past-{number}")

    html = client.get(LIST_URL, {"kind": "world"}).content.decode()

    assert "More than 2 past conferences" in html
    assert "Page 1 of" not in html
    # Unfiltered, the number the worker keeps is exact.
    assert "3 past conferences" in client.get(LIST_URL).content.decode()


def test_list_offers_a_new_year_and_counts_once_the_worker_has_counted_it(client, settings):
    settings.AGGREGATES_MAX_LAG_SECONDS = 300  # as in production
    ConferenceFactory(
        title="In 2019", start_date=datetime.date(2019, 6, 1), end_date=datetime.date(2019, 6, 3)
    )
    refresh_aggregates.call(changed_at=aggregates.clock())
    ConferenceFactory(
        title="In 2021", start_date=datetime.date(2021, 6, 1), end_date=datetime.date(2021, 6, 3)
    )

    lagging = client.get(LIST_URL)
    assert '<option value="2019">2019</option>' in lagging.content.decode()
    assert '<option value="2021">2021</option>' not in lagging.content.decode()
    assert "1 past conference<" in lagging.content.decode()
    assert lagging["X-Cache"] == "miss"  # kept until the worker counts again
    assert client.get(LIST_URL)["X-Cache"] == "hit"

    refresh_aggregates.call(changed_at=aggregates.clock())
    counted = client.get(LIST_URL)
    assert '<option value="2021">2021</option>' in counted.content.decode()
    assert "2 past conferences" in counted.content.decode()
    assert counted["X-Cache"] == "miss"
