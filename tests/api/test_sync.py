"""A partner's mirror, kept with `modified_since` and the removed feed, ends as a fresh read.

The client below is the loop the guide describes: a first full read, then at each sync the
records modified since the previous sync started and the records removed since then, applied
in time order.
"""

import datetime

import pytest
from django.utils import timezone

from conferences.services import set_publication
from members.services import anonymise_person
from tests.factories import (
    ConferenceFactory,
    DivisionFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    SessionFactory,
    TopicFactory,
    bilateral_agreement,
)

pytestmark = pytest.mark.django_db

RESOURCES = [
    "agreements",
    "conferences",
    "divisions",
    "memberships",
    "organisations",
    "people",
    "sessions",
    "topics",
]
# A little before the sync starts, for clocks that disagree; reading a record twice is harmless.
MARGIN = datetime.timedelta(seconds=1)


def parse(moment: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(moment.replace("Z", "+00:00"))


def every_row(client, url: str, **params) -> list[dict]:
    rows, params = [], {**params, "page_size": 2}  # small pages: paging is part of the loop
    response = client.get(url, params)
    while True:
        assert response.status_code == 200, response.content
        body = response.json()
        rows += body["results"]
        if not body["next"]:
            return rows
        response = client.get(body["next"])


def fresh_read(client) -> dict[str, dict[int, str]]:
    return {
        resource: {row["id"]: row["modified"] for row in every_row(client, f"/api/v1/{resource}/")}
        for resource in RESOURCES
    }


class Mirror:
    def __init__(self, client):
        self.client = client
        self.records: dict[str, dict[int, str]] = {}
        self.last_start: datetime.datetime | None = None

    def sync(self) -> None:
        start = timezone.now() - MARGIN
        if self.last_start is None:
            self.records = fresh_read(self.client)
        else:
            since = self.last_start.isoformat()
            events = []
            for resource in RESOURCES:
                for row in every_row(self.client, f"/api/v1/{resource}/", modified_since=since):
                    events.append((parse(row["modified"]), "keep", resource, row))
            for gone in every_row(self.client, "/api/v1/removed/", since=since):
                events.append((parse(gone["removed_at"]), "drop", gone["resource"], gone))
            # In time order: a record listed as modified after it left is back.
            for _moment, kind, resource, row in sorted(events, key=lambda event: event[0]):
                if kind == "keep":
                    self.records[resource][row["id"]] = row["modified"]
                else:
                    self.records[resource].pop(row["id"], None)
        self.last_start = start


def a_portal():
    division = DivisionFactory()
    parks = [OrganisationFactory(division=division) for _ in range(3)]
    MembershipFactory(organisation=parks[0])
    MembershipFactory(organisation=parks[1])
    topics = [TopicFactory(), TopicFactory()]
    conference = ConferenceFactory()
    draft = ConferenceFactory(is_published=False)
    sessions = [SessionFactory(conference=conference, is_published=True) for _ in range(2)]
    SessionFactory(conference=draft, is_published=True)
    people = [PersonFactory(affiliation=parks[0]) for _ in range(3)]
    agreements = [bilateral_agreement(is_public=True) for _ in range(2)]
    return locals()


@pytest.mark.parametrize("caller", ["api_client", "partner_client", "staff_api_client"])
def test_mirror_ends_identical_to_a_fresh_read(request, caller, staff_user):
    client = request.getfixturevalue(caller)
    portal = a_portal()
    mirror = Mirror(client)
    mirror.sync()
    assert mirror.records == fresh_read(client)
    assert mirror.records["sessions"]

    # Creates and edits.
    new_conference = ConferenceFactory()
    SessionFactory(conference=new_conference, is_published=True)
    park = portal["parks"][2]
    park.city = "Málaga"
    park.save()
    # Departures of every kind.
    set_publication(records=[portal["conference"]], published=False)
    set_publication(records=[portal["sessions"][0]], published=False)
    agreement = portal["agreements"][0]
    agreement.is_public = False
    agreement.save()
    portal["topics"][0].delete()
    portal["agreements"][1].delete()
    anonymise_person(person=portal["people"][0], approved_by=staff_user)
    portal["parks"][1].memberships.all().delete()
    # A draft published for the first time, with the session it already had.
    set_publication(records=[portal["draft"]], published=True)

    mirror.sync()
    assert mirror.records == fresh_read(client)

    # Back again: the conference and its published session, the agreement made public.
    set_publication(records=[portal["conference"]], published=True)
    agreement.is_public = True
    agreement.save()
    # Gone and back between two syncs: the mirror never notices, and ends right.
    set_publication(records=[new_conference], published=False)
    set_publication(records=[new_conference], published=True)
    portal["people"][1].delete()

    mirror.sync()
    assert mirror.records == fresh_read(client)
    assert portal["conference"].pk in mirror.records["conferences"]

    # A sync with nothing new changes nothing.
    before = {resource: dict(rows) for resource, rows in mirror.records.items()}
    mirror.sync()
    assert mirror.records == before
