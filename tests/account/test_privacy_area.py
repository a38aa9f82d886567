"""A person's own record in the members' area: what the portal shows about them, their
consent, a copy of their data, and their request to be removed."""

import json

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group, Permission
from django.core import mail

from members.models import Contact, Person, Proposal
from tests.factories import (
    AgreementPartyFactory,
    AppearanceFactory,
    OfficeFactory,
    OrganisationFactory,
    PersonFactory,
    SessionFactory,
    StaffUserFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ME = "/account/me/"
EXPORT = "/account/me/export.json"
REMOVE = "/account/me/remove/"


@pytest.fixture
def park():
    return OrganisationFactory(name="Chiang Mai Science Park", slug="cm-park")


@pytest.fixture
def account(db):
    user = UserFactory(username="ada", email="ada@account.example")
    EmailAddress.objects.create(user=user, email="ada@account.example", verified=True, primary=True)
    return user


@pytest.fixture
def ada(account, park):
    return PersonFactory(
        name="Ada Chen",
        slug="ada-chen",
        job_title="Director",
        affiliation=park,
        bio="Grew the incubator to forty companies.",
        website="https://ada.example/",
        email="ada@staff-only.example",
        display_consent=False,
        user=account,
    )


@pytest.fixture
def ada_client(client, account, ada):
    client.force_login(account)
    return client


def test_the_area_asks_to_sign_in(client):
    for url in (ME, EXPORT, REMOVE):
        response = client.get(url)
        assert response.status_code == 302
        assert "/account/login/" in response["Location"]


def test_an_account_without_a_person_gets_404(client):
    client.force_login(UserFactory())

    for url in (ME, EXPORT, REMOVE):
        assert client.get(url).status_code == 404
    assert client.post(ME, {"consent": "yes"}).status_code == 404
    assert client.post(REMOVE, {}).status_code == 404


def test_me_shows_what_visitors_see_and_what_staff_keep(ada_client, ada, park):
    session = SessionFactory(title="Opening plenary")
    AppearanceFactory(session=session, person=ada, capacity="Director, CM Park")
    OfficeFactory(person=ada, title="Board member")
    AgreementPartyFactory(signatory=ada, organisation=park, agreement__title="Twinning with Lund")

    response = ada_client.get(ME)
    html = response.content.decode()

    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert "What the portal shows about you" in html
    assert "Ada Chen" in html and "Director" in html and "Chiang Mai Science Park" in html
    assert "Opening plenary" in html
    assert "Board member" in html
    assert "Twinning with Lund" in html
    # Without consent: said to be hidden, and not shown.
    assert "forty companies" not in html
    assert "https://ada.example/" not in html
    assert html.count("Not shown: you have not agreed to show it.") == 2
    # What staff keep: the e-mail, on this private page only.
    assert "ada@staff-only.example" in html
    assert 'href="/account/me/export.json"' in html
    assert 'href="/account/me/remove/"' in html


def test_home_links_to_the_own_record(ada_client):
    html = ada_client.get("/account/").content.decode()

    assert 'href="/account/me/"' in html


def test_giving_consent_shows_the_profile_at_once(ada_client, ada, client):
    response = ada_client.post(ME, {"consent": "yes"})

    assert response.status_code == 302
    ada.refresh_from_db()
    assert ada.display_consent is True
    assert ada.consent_note == "Given by the person in the members' area"
    assert ada.consent_recorded_on is not None
    assert "forty companies" in ada_client.get(ME).content.decode()
    assert "forty companies" in ada_client.get(ada.get_absolute_url()).content.decode()


def test_withdrawing_consent_hides_the_profile_at_once(ada_client, ada):
    ada.display_consent = True
    ada.save()
    public_before = ada_client.get(ada.get_absolute_url()).content.decode()
    assert "forty companies" in public_before

    ada_client.post(ME, {"consent": "no"})

    ada.refresh_from_db()
    assert ada.display_consent is False
    assert "forty companies" not in ada_client.get(ada.get_absolute_url()).content.decode()


@pytest.mark.parametrize("value", ["", "maybe", "yes\x00", "<script>"])
def test_a_wrong_consent_value_is_a_field_error(ada_client, ada, value):
    response = ada_client.post(ME, {"consent": value})

    assert response.status_code == 400
    assert 'class="errorlist' in response.content.decode()
    ada.refresh_from_db()
    assert ada.display_consent is False


def test_export_gives_the_own_data_as_a_download(ada_client, ada, park, account):
    other = PersonFactory(name="Bea Other", email="bea@private.example")
    session = SessionFactory(title="Opening plenary")
    AppearanceFactory(session=session, person=ada, role="speaker")
    AppearanceFactory(session=session, person=other)
    OfficeFactory(person=ada, title="Board member")
    AgreementPartyFactory(signatory=ada, organisation=park, agreement__title="Twinning with Lund")
    Contact.objects.create(user=account, organisation=park)
    Proposal.objects.create(person=ada, proposed_by=account, changes={"bio": "New words."})

    response = ada_client.get(EXPORT)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"] == 'attachment; filename="ada-chen-data.json"'
    data = json.loads(response.content)
    assert data["person"]["name"] == "Ada Chen"
    assert data["person"]["email"] == "ada@staff-only.example"
    assert data["person"]["biography"] == "Grew the incubator to forty companies."
    assert data["person"]["display_consent"] is False
    assert [row["session"] for row in data["appearances"]] == ["Opening plenary"]
    assert data["offices"][0]["title"].startswith("Board member")
    assert data["agreements_signed"][0]["agreement"] == "Twinning with Lund"
    assert data["account"]["email_addresses"] == [
        {"email": "ada@account.example", "verified": True, "primary": True}
    ]
    assert data["contacts"] == [
        {"organisation": "Chiang Mai Science Park", "since": data["contacts"][0]["since"]}
    ]
    assert data["proposals"][0]["changes"] == {"bio": "New words."}
    text = response.content.decode()
    assert "Bea Other" not in text and "bea@private.example" not in text


@pytest.fixture
def reviewers(db):
    reviewer_group = Group.objects.create(name="Proposal reviewers")
    reviewer_group.permissions.add(
        Permission.objects.get(content_type__app_label="members", codename="change_proposal")
    )
    editor = UserFactory(username="editor", email="editor@association.example")
    editor.groups.add(reviewer_group)
    StaffUserFactory(username="boss", email="boss@association.example")
    UserFactory(username="nobody", email="nobody@association.example")
    UserFactory(username="silent", email="").groups.add(reviewer_group)
    gone = UserFactory(username="gone", email="gone@association.example", is_active=False)
    gone.groups.add(reviewer_group)


def test_removal_page_says_what_will_happen(ada_client):
    html = ada_client.get(REMOVE).content.decode()

    assert "Ask to be removed" in html
    assert "Removed person" in html
    assert "your account is deleted" in html


def test_removal_request_makes_one_proposal_and_mails_reviewers(
    ada_client, ada, account, reviewers, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = ada_client.post(REMOVE, {"message": "Please take me off."})

    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert proposal.kind == Proposal.Kind.REMOVAL
    assert proposal.person == ada
    assert proposal.proposed_by == account
    assert proposal.status == Proposal.Status.PENDING
    assert proposal.message == "Please take me off."
    assert sorted(message.to[0] for message in mail.outbox) == [
        "boss@association.example",
        "editor@association.example",
    ]
    message = mail.outbox[0]
    assert "Ada Chen asks to be removed" in message.subject
    assert "International Association of Science Parks" in message.body
    assert "Please take me off." in message.body
    assert f"/admin/members/person/{ada.pk}/change/" in message.body
    html = message.alternatives[0][0]
    assert "International Association of Science Parks" in html
    assert "Ada Chen" in html
    assert "is waiting for review" in ada_client.get(ME).content.decode()


def test_a_second_removal_request_is_refused(ada_client, ada, reviewers):
    ada_client.post(REMOVE, {})
    response = ada_client.post(REMOVE, {})

    assert response.status_code == 400
    assert Proposal.objects.filter(person=ada).count() == 1
    assert "already waiting for review" in response.content.decode()


def test_a_too_long_note_is_a_field_error(ada_client, ada):
    response = ada_client.post(REMOVE, {"message": "x" * 2001})

    assert response.status_code == 400
    assert 'class="errorlist' in response.content.decode()
    assert not Proposal.objects.exists()


def test_a_removed_person_has_no_own_record_any_more(client, ada, account, staff_user):
    from members.services import anonymise_person

    client.force_login(account)
    anonymise_person(person=ada, approved_by=staff_user)

    response = client.get(ME)
    assert response.status_code in (302, 404)
    assert not Person.objects.filter(name="Ada Chen").exists()


# Session and account; the linked person; the person with their current and past offices,
# appearances, quotes and awards; the agreements they signed; a pending removal request.
ME_QUERIES = 11


@pytest.mark.parametrize("appearances", [1, 4])
def test_me_queries_stay_the_same_for_any_number_of_appearances(
    ada_client, ada, park, appearances, django_assert_num_queries
):
    for number in range(appearances):
        session = SessionFactory(title=f"Session {number}")
        AppearanceFactory(session=session, person=ada)
        OfficeFactory(person=ada, title=f"Office {number}")
        AgreementPartyFactory(signatory=ada, organisation=OrganisationFactory())

    with django_assert_num_queries(ME_QUERIES):
        response = ada_client.get(ME)

    assert response.content.decode().count("Session ") == appearances
