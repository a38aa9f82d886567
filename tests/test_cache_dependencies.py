"""Cached answers are dropped when what they show changes, and only then (core/dependencies.py).

Record pages (organisation, person, conference, session, agreement) and their API answers
depend on the records they loaded; every other answer on every change, as before.
"""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from conferences.services import update_conference
from core import dependencies
from core.changes import CLOCK_KEY, records_changed
from members.services.records import update_person
from tests.factories import (
    AppearanceFactory,
    ConferenceFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    SessionFactory,
    agreement_between,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def park():
    organisation = OrganisationFactory(name="Chiang Mai Science Park", slug="cm-park")
    MembershipFactory(organisation=organisation)
    return organisation


@pytest.fixture
def other():
    return OrganisationFactory(name="Dhahran Techno Valley", slug="dtv")


def visit(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response["X-Cache"], response.content.decode()


def test_a_record_page_stays_cached_when_another_record_changes(client, park, other):
    visit(client, park.get_absolute_url())
    other.name = "Dhahran Techno Valley Company"
    other.save()

    assert visit(client, park.get_absolute_url())[0] == "hit"
    # A list depends on every change, as before.
    visit(client, "/members/")
    other.save()
    assert visit(client, "/members/")[0] == "miss"


def test_a_record_page_changes_with_the_record(client, park):
    visit(client, park.get_absolute_url())
    park.city = "Chiang Mai"
    park.save()

    state, page = visit(client, park.get_absolute_url())

    assert state == "miss"
    assert "Chiang Mai" in page


def test_a_partner_renamed_is_seen_on_the_page_that_names_it(client, park, other):
    agreement_between(park, other, is_public=True)
    assert "Dhahran Techno Valley" in visit(client, park.get_absolute_url())[1]

    other.name = "Dhahran Techno Valley Company"
    other.save()

    state, page = visit(client, park.get_absolute_url())
    assert state == "miss"
    assert "Dhahran Techno Valley Company" in page


def test_an_agreement_made_public_appears_on_its_parties_pages(client, park, other):
    agreement = agreement_between(park, other, is_public=False, title="Twin parks programme")
    assert "Twin parks programme" not in visit(client, park.get_absolute_url())[1]
    assert "Twin parks programme" not in visit(client, other.get_absolute_url())[1]

    agreement.is_public = True
    agreement.save()

    assert "Twin parks programme" in visit(client, park.get_absolute_url())[1]
    assert "Twin parks programme" in visit(client, other.get_absolute_url())[1]


def test_a_new_session_and_a_renamed_speaker_show_on_the_conference_page(client):
    conference = ConferenceFactory()
    speaker = AppearanceFactory(
        session=SessionFactory(conference=conference), person=PersonFactory(name="Ana Gil")
    ).person
    assert "Ana Gil" in visit(client, conference.get_absolute_url())[1]

    SessionFactory(conference=conference, title="Closing ceremony")
    assert "Closing ceremony" in visit(client, conference.get_absolute_url())[1]

    speaker.name = "Ana Gil Ruiz"
    speaker.save()
    assert "Ana Gil Ruiz" in visit(client, conference.get_absolute_url())[1]
    # The speaker's own page, too.
    assert "Ana Gil Ruiz" in visit(client, speaker.get_absolute_url())[1]


def test_a_new_edition_shows_as_the_next_one_on_the_last(client):
    first = ConferenceFactory(edition=40, start_date="2023-09-11", end_date="2023-09-14")
    visit(client, first.get_absolute_url())
    unrelated = OrganisationFactory()
    unrelated.save()
    assert visit(client, first.get_absolute_url())[0] == "hit"

    ConferenceFactory(
        edition=41,
        title="World Conference 41",
        start_date="2024-09-11",
        end_date="2024-09-14",
    )

    state, page = visit(client, first.get_absolute_url())
    assert state == "miss"
    assert "World Conference 41" in page


def test_a_change_that_names_no_record_makes_every_answer_stale(client, park):
    visit(client, park.get_absolute_url())

    records_changed()  # after a bulk update, say

    assert visit(client, park.get_absolute_url())[0] == "miss"


def test_a_forgotten_tag_makes_the_answers_on_it_stale(client, park):
    visit(client, park.get_absolute_url())

    cache.delete(dependencies.record_tag(type(park), park.pk))

    assert visit(client, park.get_absolute_url())[0] == "miss"
    assert visit(client, park.get_absolute_url())[0] == "hit"


def test_an_answer_made_while_a_change_was_saved_is_not_kept(client, park, monkeypatch):
    from portal.views import members

    made = members.OrganisationDetailView.get_context_data

    def change_meanwhile(self, **kwargs):
        context = made(self, **kwargs)
        cache.set(CLOCK_KEY, 1.0, None)  # another process saved a change
        return context

    monkeypatch.setattr(members.OrganisationDetailView, "get_context_data", change_meanwhile)
    assert client.get(park.get_absolute_url()).get("X-Cache") is None
    monkeypatch.undo()
    assert visit(client, park.get_absolute_url())[0] == "miss"
    assert visit(client, park.get_absolute_url())[0] == "hit"


def change_while_made(monkeypatch, change):
    from portal.views import members

    made = members.OrganisationDetailView.get_context_data

    def changed_meanwhile(self, **kwargs):
        context = made(self, **kwargs)
        change()  # another process saved a change while this page was made
        return context

    monkeypatch.setattr(members.OrganisationDetailView, "get_context_data", changed_meanwhile)


def test_a_page_made_while_another_record_changed_is_kept(client, park, monkeypatch):
    someone = PersonFactory(affiliation=None)
    change_while_made(monkeypatch, someone.save)
    assert visit(client, park.get_absolute_url())[0] == "miss"
    monkeypatch.undo()

    assert visit(client, park.get_absolute_url())[0] == "hit"


def test_a_page_made_while_its_record_changed_is_not_kept(client, park, monkeypatch):
    def rename():
        park.name = "Chiang Mai Science and Technology Park"
        park.save()

    change_while_made(monkeypatch, rename)
    assert client.get(park.get_absolute_url()).get("X-Cache") is None
    monkeypatch.undo()

    status, html = visit(client, park.get_absolute_url())
    assert status == "miss"
    assert "Chiang Mai Science and Technology Park" in html


def test_a_page_made_while_changes_went_unlogged_is_not_kept(client, park, monkeypatch):
    from core import changes

    someone = PersonFactory(affiliation=None)

    def many_changes():
        for _ in range(changes.CHANGES_KEPT + 1):  # more than the log keeps
            someone.save()

    change_while_made(monkeypatch, many_changes)
    assert client.get(park.get_absolute_url()).get("X-Cache") is None


def test_a_page_keeps_its_records_up_to_the_bound_then_the_kind():
    def tags(count):
        return {f"dep:members.person:{pk}" for pk in range(count)} | {"dep:members.topic:1"}

    assert dependencies.bounded(tags(dependencies.RECORDS_PER_KIND)) == tags(
        dependencies.RECORDS_PER_KIND
    )
    assert dependencies.bounded(tags(dependencies.RECORDS_PER_KIND + 1)) == {
        "dep:members.person",
        "dep:members.topic:1",
    }


def test_a_text_change_leaves_the_pages_around_the_record_cached(client, park, other):
    """A new theme shows only where the conference itself was loaded: the page of a partner of
    one of its participants stays cached; a change of what lists it does not."""
    agreement_between(park, other)
    conference = ConferenceFactory(title="World Conference 42", theme="Old theme")
    conference.participating_organisations.add(park)
    visit(client, other.get_absolute_url())

    update_conference(conference=conference, theme="Parks and cities")

    assert visit(client, other.get_absolute_url())[0] == "hit"
    status, html = visit(client, conference.get_absolute_url())
    assert status == "miss"
    assert "Parks and cities" in html

    update_conference(conference=conference, is_published=False)

    assert visit(client, other.get_absolute_url())[0] == "miss"


def test_what_a_text_change_moves(park, other, monkeypatch):
    from core import changes

    conference = ConferenceFactory(theme="Old theme")
    conference.participating_organisations.add(park)
    person = PersonFactory(affiliation=park)
    moved = []
    move = changes.move_clock
    monkeypatch.setattr(
        changes, "move_clock", lambda tags=(), **kwargs: moved.append(set(tags)) or move(tags)
    )

    update_conference(conference=conference, theme="New theme")
    conference_tags = set().union(*moved)
    moved.clear()
    update_person(person=person, job_title="Director")
    person_tags = set().union(*moved)
    moved.clear()
    update_person(person=person, affiliation=other)
    move_tags = set().union(*moved)

    park_tag = dependencies.record_tag(type(park), park.pk)
    assert dependencies.record_tag(type(conference), conference.pk) in conference_tags
    assert park_tag not in conference_tags  # a participant: linked, but not shown anew
    assert dependencies.record_tag(type(person), person.pk) in person_tags
    assert park_tag not in person_tags  # the affiliation: pointed to, but not shown anew
    # A link changed: the pages around the person learn of it.
    assert dependencies.record_tag(type(other), other.pk) in move_tags


def test_api_record_answers_depend_on_what_they_show(park, other):
    api = APIClient()
    url = f"/api/v1/organisations/{park.slug}/"
    assert api.get(url)["X-Cache"] == "miss"

    other.save()
    assert api.get(url)["X-Cache"] == "hit"

    park.city = "Chiang Mai"
    park.save()
    response = api.get(url)
    assert response["X-Cache"] == "miss"
    assert response.json()["city"] == "Chiang Mai"


def test_what_a_save_moves():
    park = OrganisationFactory()
    other = OrganisationFactory()
    agreement = agreement_between(park, other)
    party = agreement.parties.get(organisation=park)
    tag = dependencies.record_tag

    moved = dependencies.changed_tags(sender=type(agreement), instance=agreement)

    assert {
        dependencies.kind_tag(type(agreement)),
        tag(type(agreement), agreement.pk),
        tag(type(party), party.pk),
        tag(type(park), park.pk),
        tag(type(other), other.pk),
    } <= moved
    new_party = dependencies.changed_tags(sender=type(party), instance=party, created=True)
    assert new_party == {
        dependencies.kind_tag(type(party)),
        tag(type(party), party.pk),
        tag(type(agreement), agreement.pk),
        tag(type(park), park.pk),
    }


@pytest.mark.parametrize("rows", [1, 12])
def test_a_hit_on_a_record_page_runs_no_query(client, park, rows, django_assert_num_queries):
    for _ in range(rows):
        agreement_between(park, OrganisationFactory(), is_public=True)
    visit(client, park.get_absolute_url())

    with django_assert_num_queries(0):
        assert visit(client, park.get_absolute_url())[0] == "hit"


def test_a_list_stays_cached_until_a_record_of_its_kinds_changes(client):
    ConferenceFactory(title="World Conference 40")
    person = PersonFactory()
    visit(client, "/conferences/")
    person.name = "Ana Gil"
    person.save()
    assert visit(client, "/conferences/")[0] == "hit"

    ConferenceFactory(title="World Conference 41")

    state, page = visit(client, "/conferences/")
    assert state == "miss"
    assert "World Conference 41" in page


def test_the_agreement_list_shows_an_agreement_made_public(client, park, other):
    agreement = agreement_between(park, other, is_public=False, title="Twin parks programme")
    person = PersonFactory()
    visit(client, "/agreements/")
    person.name = "Ana Gil"
    person.save()
    assert visit(client, "/agreements/")[0] == "hit"

    agreement.is_public = True
    agreement.save()

    assert "Twin parks programme" in visit(client, "/agreements/")[1]


def test_the_people_list_follows_a_new_speaker(client):
    visit(client, "/people/")
    AppearanceFactory(person=PersonFactory(name="Ana Gil"))

    assert "Ana Gil" in visit(client, "/people/")[1]


def test_api_lists_depend_on_their_kinds(park, other):
    api = APIClient()
    conference = ConferenceFactory()
    assert api.get("/api/v1/organisations/")["X-Cache"] == "miss"
    conference.theme = "Science parks as innovation hubs"
    conference.save()
    assert api.get("/api/v1/organisations/")["X-Cache"] == "hit"

    other.city = "Dhahran"
    other.save()

    response = api.get("/api/v1/organisations/")
    assert response["X-Cache"] == "miss"
    cities = {row["slug"]: row["city"] for row in response.json()["results"]}
    assert cities["dtv"] == "Dhahran"


def test_a_speakers_organisation_renamed_shows_on_the_conference_page(client, park):
    conference = ConferenceFactory()
    AppearanceFactory(
        session=SessionFactory(conference=conference),
        person=PersonFactory(name="Ana Gil", affiliation=park),
    )
    assert "Chiang Mai Science Park" in visit(client, conference.get_absolute_url())[1]

    park.name = "Chiang Mai University Science Park"
    park.save()

    assert "Chiang Mai University Science Park" in visit(client, conference.get_absolute_url())[1]


def test_a_waiting_request_serves_the_answer_made_meanwhile(client, park, monkeypatch):
    from django.test import RequestFactory

    from core import page_cache

    request = RequestFactory().get(park.get_absolute_url())
    _cached, slot = page_cache.lookup(request)
    assert slot is not None and slot.building
    waiting = []

    def made_by_the_other(key):
        waiting.append(key)
        return page_cache.cached_response(({}, 200, [], b"made by the other worker"))

    monkeypatch.setattr(page_cache, "made_meanwhile", made_by_the_other)
    cached, second = page_cache.lookup(RequestFactory().get(park.get_absolute_url()))

    assert second is None
    assert cached.content == b"made by the other worker"
    assert waiting == [slot.key]
    slot.release()
    _cached, third = page_cache.lookup(RequestFactory().get(park.get_absolute_url()))
    assert third is not None and third.building
    third.release()


def test_waiting_ends_with_the_answer_kept_or_with_the_lock_given_up(monkeypatch):
    from core import page_cache

    monkeypatch.setattr(page_cache, "WAIT_STEP_SECONDS", 0.001)
    cache.set("page:abc:building", 1, 10)
    cache.set("page:abc", ({}, 200, [("Content-Type", "text/html")], b"kept"), 10)
    assert page_cache.made_meanwhile("page:abc").content == b"kept"

    cache.delete("page:abc")
    cache.delete("page:abc:building")
    assert page_cache.made_meanwhile("page:abc") is None
