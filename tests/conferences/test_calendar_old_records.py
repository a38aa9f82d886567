"""A record saved before one-line fields refused line breaks still gives its calendars."""

import pytest

from tests.factories import ConferenceFactory, SessionFactory

pytestmark = pytest.mark.django_db


def test_calendars_of_a_record_with_line_breaks_fold_them_into_spaces(client, api_client):
    # Saved without full_clean(), as a record written before the rule was.
    conference = ConferenceFactory(title="World\r\nConference", city="Bei\njing", venue="Hall\r1")
    SessionFactory(conference=conference, title="Open\r\ning", location="Room\n2")

    answers = [
        client.get(f"/conferences/{conference.slug}/calendar.ics"),
        api_client.get(f"/api/v1/conferences/{conference.slug}/", {"format": "ics"}),
    ]

    for answer in answers:
        assert answer.status_code == 200
        text = answer.content.decode()
        assert "World Conference" in text
        assert "SUMMARY:Open ing" in text
        assert "LOCATION:Room 2\\, Hall 1\\, Bei jing" in text
