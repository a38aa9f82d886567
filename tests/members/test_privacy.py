"""A person's say over their public presence: without consent, the name and roles only, on
every page, in search, in JSON-LD and in the API; and a removal that leaves the roles but
takes the person, and their account, out of the record and its history."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage

from members.models import Contact, Person, Proposal
from members.services import anonymise_person, record_consent
from members.sitemaps import PersonSitemap
from tests.factories import (
    AgreementPartyFactory,
    AppearanceFactory,
    OfficeFactory,
    OrganisationFactory,
    PersonFactory,
    SessionFactory,
    UserFactory,
)
from tests.members.pages import json_ld, png

pytestmark = pytest.mark.django_db

BIO = "Ada grew the zebrafish incubator from two desks to forty companies."
WEBSITE = "https://ada.example/"


@pytest.fixture
def park():
    return OrganisationFactory(name="Chiang Mai Science Park", slug="cm-park")


def private_person(park, **kwargs) -> Person:
    """Someone with a full profile on file who has not agreed to show it."""
    person = PersonFactory(
        name="Ada Chen",
        slug="ada-chen",
        job_title="Director",
        affiliation=park,
        bio=BIO,
        website=WEBSITE,
        email="ada@private.example",
        display_consent=False,
        **kwargs,
    )
    person.photo.save("photo.png", png(200, 200))
    return person


@pytest.fixture
def ada(park):
    return private_person(park)


# Consent on every public surface


def test_person_page_without_consent_shows_name_and_role_only(client, ada):
    response = client.get(ada.get_absolute_url())
    html = response.content.decode()

    assert response.status_code == 200
    assert "Ada Chen" in html and "Director" in html and "Chiang Mai Science Park" in html
    assert "zebrafish" not in html
    assert WEBSITE not in html
    assert "people/photos/" not in html


def test_person_page_with_consent_shows_the_full_profile(client, ada):
    record_consent(person=ada, given=True, note="Speaker form")

    html = client.get(ada.get_absolute_url()).content.decode()

    assert "zebrafish" in html
    assert WEBSITE in html
    assert "people/photos/" in html


def test_person_json_ld_without_consent_has_no_image_or_website(client, ada):
    data = json_ld(client.get(ada.get_absolute_url()))

    assert data["name"] == "Ada Chen"
    assert data["jobTitle"] == "Director"
    assert "image" not in data
    assert "sameAs" not in data


def test_person_list_card_without_consent_has_no_photo(client, ada):
    html = client.get("/people/").content.decode()

    assert "Ada Chen" in html
    assert "people/photos/" not in html


def test_organisation_page_card_without_consent_has_no_photo(client, ada, park):
    html = client.get(park.get_absolute_url()).content.decode()

    assert "Ada Chen" in html
    assert "people/photos/" not in html


def test_conference_and_session_speakers_without_consent_have_no_photo(client, ada):
    session = SessionFactory(title="Opening plenary")
    AppearanceFactory(session=session, person=ada)

    conference_html = client.get(session.conference.get_absolute_url()).content.decode()
    session_html = client.get(session.get_absolute_url()).content.decode()

    for html in (conference_html, session_html):
        assert 'href="/people/ada-chen/"' in html
        assert "people/photos/" not in html
        assert "zebrafish" not in html


def test_search_finds_a_biography_only_with_consent(client, ada):
    link = 'href="/people/ada-chen/"'
    assert link not in client.get("/search/", {"q": "zebrafish"}).content.decode()
    assert link in client.get("/search/", {"q": "Ada"}).content.decode()

    record_consent(person=ada, given=True)

    found = client.get("/search/", {"q": "zebrafish"}).content.decode()
    assert link in found
    assert "<mark>zebrafish</mark>" in found


@pytest.mark.parametrize("caller", ["api_client", "partner_client"])
def test_api_without_consent_gives_name_and_roles_only(request, caller, ada):
    api = request.getfixturevalue(caller)

    listed = api.get("/api/v1/people/").json()["results"][0]
    detail = api.get("/api/v1/people/ada-chen/").json()

    for shape in (listed, detail):
        assert shape["name"] == "Ada Chen"
        assert shape["job_title"] == "Director"
        assert shape["photo"] is None
        assert shape["website"] == ""
        assert "display_consent" not in shape
        assert "email" not in shape
    assert detail["bio"] == ""


def test_api_with_consent_gives_the_full_profile(api_client, ada):
    record_consent(person=ada, given=True)

    detail = api_client.get("/api/v1/people/ada-chen/").json()

    assert detail["photo"]["url"].startswith("http://testserver/media/people/photos/")
    assert detail["website"] == WEBSITE
    assert detail["bio"] == BIO


def test_api_staff_token_sees_everything_and_the_consent(staff_api_client, ada):
    listed = staff_api_client.get("/api/v1/people/").json()["results"][0]
    detail = staff_api_client.get("/api/v1/people/ada-chen/").json()

    for shape in (listed, detail):
        assert shape["display_consent"] is False
        assert shape["website"] == WEBSITE
        assert shape["photo"]["url"].startswith("http://testserver/media/people/photos/")
        assert shape["email"] == "ada@private.example"
    assert detail["bio"] == BIO


def test_expanded_speakers_respect_consent(api_client, ada):
    session = SessionFactory()
    AppearanceFactory(session=session, person=ada)

    response = api_client.get("/api/v1/sessions/", {"expand": "speakers"})

    person = response.json()["results"][0]["speakers"][0]["person"]
    assert person["name"] == "Ada Chen"
    assert person["photo"] is None
    assert person["website"] == ""


# record_consent


def test_record_consent_gives_and_withdraws_with_a_dated_note(ada):
    staff = UserFactory(username="editor")

    record_consent(person=ada, given=True, note="E-mail of 3 March", recorded_by=staff)
    ada.refresh_from_db()

    assert ada.display_consent is True
    assert ada.consent_note == "E-mail of 3 March"
    assert ada.consent_recorded_on is not None
    latest = ada.history.latest()
    assert latest.history_change_reason == "Consent given"
    assert latest.history_user == staff

    record_consent(person=ada, given=False, note="Withdrawn by telephone")
    ada.refresh_from_db()

    assert ada.display_consent is False
    assert ada.history.latest().history_change_reason == "Consent withdrawn"


# anonymise_person


@pytest.fixture
def ada_with_roles(ada, park):
    account = UserFactory(username="ada", email="ada@private.example")
    EmailAddress.objects.create(user=account, email="ada@private.example", verified=True)
    Contact.objects.create(user=account, organisation=park)
    ada.user = account
    ada.honorific = "Dr"
    ada.country = "TH"
    ada.save()
    session = SessionFactory(title="Opening plenary")
    AppearanceFactory(session=session, person=ada, capacity="Director")
    OfficeFactory(person=ada, title="Board member")
    party = AgreementPartyFactory(signatory=ada)
    return {"person": ada, "account": account, "session": session, "party": party}


def test_anonymise_blanks_every_field_and_keeps_the_roles(ada_with_roles, staff_user):
    ada = ada_with_roles["person"]
    photo_name = ada.photo.name

    removed = anonymise_person(person=ada, approved_by=staff_user)
    removed.refresh_from_db()

    assert removed.name == "Removed person"
    assert removed.slug == f"removed-{ada.pk}"
    for field in ("honorific", "job_title", "bio", "email", "website", "consent_note"):
        assert getattr(removed, field) == ""
    assert not removed.country
    assert not removed.photo
    assert removed.affiliation is None
    assert removed.display_consent is False
    assert removed.removed_at is not None
    assert removed.user is None
    assert removed.appearances.count() == 1
    assert removed.offices.count() == 1
    assert removed.signatures.count() == 1
    assert photo_name  # deleted once the transaction commits (see the next test)


def test_anonymise_deletes_the_photo_file_and_the_account(
    ada_with_roles, staff_user, django_capture_on_commit_callbacks
):
    ada = ada_with_roles["person"]
    photo_name = ada.photo.name
    assert default_storage.exists(photo_name)

    with django_capture_on_commit_callbacks(execute=True):
        anonymise_person(person=ada, approved_by=staff_user)

    assert not default_storage.exists(photo_name)
    assert not type(ada_with_roles["account"]).objects.filter(username="ada").exists()
    assert not Contact.objects.filter(organisation__slug="cm-park").exists()
    assert not EmailAddress.objects.filter(email="ada@private.example").exists()


def test_anonymise_scrubs_every_history_row(ada_with_roles, staff_user):
    ada = ada_with_roles["person"]
    ada.name = "Ada Chen-Smith"
    ada._change_reason = "Renamed Ada Chen after her marriage"
    ada.save()

    anonymise_person(person=ada, approved_by=staff_user)

    rows = list(Person.history.filter(id=ada.pk))
    assert len(rows) >= 4
    for row in rows:
        assert row.name == "Removed person"
        assert row.slug == f"removed-{ada.pk}"
        for field in ("honorific", "job_title", "bio", "email", "website"):
            assert getattr(row, field) == "", field
        assert not row.photo
        assert row.affiliation_id is None
        assert row.user_id is None
        assert "Ada" not in (row.history_change_reason or "")


def test_the_removal_entry_names_the_approver_and_no_one_else(ada_with_roles, staff_user):
    ada = ada_with_roles["person"]
    proposal = Proposal.objects.create(
        kind=Proposal.Kind.REMOVAL, person=ada, proposed_by=ada_with_roles["account"]
    )

    anonymise_person(person=ada, approved_by=staff_user, proposal=proposal)

    latest = Person.history.filter(id=ada.pk).latest()
    assert latest.history_change_reason == ("Removed at the person's request; approved by staff")
    assert latest.name == "Removed person"
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.APPROVED
    assert proposal.reviewed_by == staff_user
    assert proposal.reviewed_at is not None


def test_removal_by_staff_without_a_request_says_so(ada, staff_user):
    anonymise_person(person=ada, approved_by=staff_user)

    assert Person.history.filter(id=ada.pk).latest().history_change_reason == "Removed by staff"


def test_other_history_quoting_the_name_loses_it(ada, park, staff_user):
    park._change_reason = "Contact Ada Chen asked for a new logo"
    park.save()

    anonymise_person(person=ada, approved_by=staff_user)

    reason = park.history.latest().history_change_reason
    assert reason == "Contact Removed person asked for a new logo"


def test_anonymise_refuses_a_removed_person_and_another_persons_proposal(ada, park, staff_user):
    other = PersonFactory()
    proposal = Proposal.objects.create(kind=Proposal.Kind.REMOVAL, person=other)

    with pytest.raises(ValidationError):
        anonymise_person(person=ada, approved_by=staff_user, proposal=proposal)

    anonymise_person(person=ada, approved_by=staff_user)
    with pytest.raises(ValidationError):
        anonymise_person(person=ada, approved_by=staff_user)


def test_removed_person_page_is_gone(client, ada, staff_user):
    old_url = ada.get_absolute_url()
    removed = anonymise_person(person=ada, approved_by=staff_user)

    assert client.get(old_url).status_code == 404
    gone = client.get(removed.get_absolute_url())
    assert gone.status_code == 410
    assert "Ada" not in gone.content.decode()


def test_removed_person_is_left_out_of_lists_search_sitemap_and_api(
    client, api_client, ada, staff_user
):
    keep = PersonFactory(name="Bea Keep", slug="bea-keep")
    anonymise_person(person=ada, approved_by=staff_user)

    people_page = client.get("/people/").content.decode()
    assert "Removed person" not in people_page and "Bea Keep" in people_page
    assert "Removed person" not in client.get("/search/", {"q": "Removed"}).content.decode()
    assert [item.slug for item in PersonSitemap().items()] == [keep.slug]
    listed = api_client.get("/api/v1/people/").json()["results"]
    assert [row["slug"] for row in listed] == ["bea-keep"]
    assert api_client.get(f"/api/v1/people/removed-{ada.pk}/").status_code == 404


def test_pages_listing_a_removed_speaker_show_the_role_without_a_link(client, ada, staff_user):
    session = SessionFactory(title="Opening plenary")
    AppearanceFactory(session=session, person=ada)
    anonymise_person(person=ada, approved_by=staff_user)

    for url in (session.conference.get_absolute_url(), session.get_absolute_url()):
        html = client.get(url).content.decode()
        assert "Removed person" in html
        assert "Ada" not in html
        assert f"/people/removed-{ada.pk}/" not in html

    data = json_ld(client.get(session.get_absolute_url()))
    assert '"Removed person"' in str(data).replace("'", '"')
    assert f"removed-{ada.pk}" not in str(data)


def test_cached_person_and_conference_pages_are_not_served_stale(client, ada, staff_user):
    session = SessionFactory()
    AppearanceFactory(session=session, person=ada)
    conference_url = session.conference.get_absolute_url()
    assert "Ada Chen" in client.get(conference_url).content.decode()
    assert client.get(conference_url)["X-Cache"] == "hit"
    client.get(ada.get_absolute_url())

    anonymise_person(person=ada, approved_by=staff_user)

    again = client.get(conference_url)
    assert again["X-Cache"] == "miss"
    assert "Ada Chen" not in again.content.decode()
    assert client.get("/people/ada-chen/").status_code == 404


# Admin


def test_admin_shows_consent_and_account_fields(staff_client, ada):
    html = staff_client.get(f"/admin/members/person/{ada.pk}/change/").content.decode()

    assert "Consent and account" in html
    assert 'name="display_consent"' in html
    assert 'name="consent_note"' in html
    assert 'name="user"' in html


def test_admin_action_asks_first_then_removes(staff_client, ada):
    url = "/admin/members/person/"
    data = {"action": "remove_and_anonymise", "_selected_action": [ada.pk]}

    confirm = staff_client.post(url, data)

    assert confirm.status_code == 200
    html = confirm.content.decode()
    assert "Ada Chen" in html and "cannot be undone" in html
    ada.refresh_from_db()
    assert ada.removed_at is None

    done = staff_client.post(url, {**data, "confirmed": "yes"})

    assert done.status_code == 302
    ada.refresh_from_db()
    assert ada.name == "Removed person"
    listing = staff_client.get(url, {"removed": "yes"}).content.decode()
    assert "Removed on" in listing


def test_admin_action_needs_the_delete_permission():
    action = admin.site._registry[Person].remove_and_anonymise
    assert list(action.allowed_permissions) == ["delete"]


def test_admin_dates_a_consent_ticked_by_staff(staff_client):
    from tests.members.test_admin import person_data

    response = staff_client.post(
        "/admin/members/person/add/",
        person_data(display_consent="on", consent_note="Speaker form of 12 March"),
    )

    assert response.status_code == 302
    person = Person.objects.get(slug="ada-example")
    assert person.display_consent is True
    assert person.consent_recorded_on is not None
    assert person.consent_note == "Speaker form of 12 March"


def test_agreement_and_division_pages_name_a_removed_person_without_a_link(client, ada, staff_user):
    party = AgreementPartyFactory(signatory=ada, agreement__is_public=True)
    office = OfficeFactory(person=ada, title="Chair")
    anonymise_person(person=ada, approved_by=staff_user)

    for url in (party.agreement.get_absolute_url(), office.division.get_absolute_url()):
        html = client.get(url).content.decode()
        assert "Removed person" in html, url
        assert "Ada" not in html
        assert f"/people/removed-{ada.pk}/" not in html
