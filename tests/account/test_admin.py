"""Invitations and member contacts in the staff admin: sending, the state of each, resending,
revoking, and removing a contact, every one through the services."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from members.models import Contact, Invitation
from tests.factories import OrganisationFactory, PersonFactory, member_contact, member_invitation

pytestmark = pytest.mark.django_db


def test_adding_an_invitation_sends_it(
    staff_client, staff_user, django_capture_on_commit_callbacks
):
    organisation = OrganisationFactory(name="Kista Science City")

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("admin:members_invitation_add"),
            {"email": "contact@kista.example", "organisation": organisation.pk, "person": ""},
            follow=True,
        )

    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.organisation, invitation.invited_by) == (
        "contact@kista.example",
        organisation,
        staff_user,
    )
    assert "The invitation is on its way to contact@kista.example." in response.text
    assert [message.to for message in mail.outbox] == [["contact@kista.example"]]
    assert "/account/invitation/" in mail.outbox[0].body
    assert invitation.history.get().history_user == staff_user


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"email": "not an address"}, "Enter a valid email address."),
        ({"email": "a@example.org\r\nBcc: b@example.org"}, "Enter a valid email address."),
        ({"email": "a@example.org"}, "Invite to an organisation, to a person record, or both."),
        ({"email": "a@example.org", "organisation": "x' OR 1=1"}, "Select a valid choice."),
    ],
)
def test_an_invitation_form_with_bad_input_shows_the_error(staff_client, data, error):
    response = staff_client.post(
        reverse("admin:members_invitation_add"),
        {"email": "", "organisation": "", "person": "", **data},
    )

    assert response.status_code == 200
    assert error in response.text
    assert not Invitation.objects.exists()
    assert not mail.outbox


def test_the_list_shows_each_invitation_state(staff_client):
    member_invitation(email="open@example.org")
    expired = member_invitation(email="expired@example.org")
    Invitation.objects.filter(pk=expired.pk).update(
        expires_at=timezone.now() - datetime.timedelta(days=1)
    )
    member_contact()

    page = staff_client.get(reverse("admin:members_invitation_changelist")).text
    only_open = staff_client.get(
        reverse("admin:members_invitation_changelist") + "?state=open"
    ).text

    assert page.count('<td class="field-state">open</td>') == 1
    assert page.count('<td class="field-state">expired</td>') == 1
    assert page.count('<td class="field-state">accepted</td>') == 1
    assert "open@example.org" in only_open and "expired@example.org" not in only_open


def test_the_revoke_action_kills_the_link(staff_client, client):
    invitation = member_invitation()

    staff_client.post(
        reverse("admin:members_invitation_changelist"),
        {"action": "revoke", "_selected_action": [invitation.pk]},
    )

    invitation.refresh_from_db()
    assert invitation.state == "revoked"


def test_the_resend_action_sends_a_new_link(staff_client, django_capture_on_commit_callbacks):
    invitation = member_invitation(email="again@example.org")
    old_hash = invitation.token_hash
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - datetime.timedelta(days=1)
    )

    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(
            reverse("admin:members_invitation_changelist"),
            {"action": "resend", "_selected_action": [invitation.pk]},
        )

    invitation.refresh_from_db()
    assert invitation.state == "open" and invitation.token_hash != old_hash
    assert [message.to for message in mail.outbox] == [["again@example.org"]]


def test_a_sent_invitation_is_not_edited_in_its_form(staff_client):
    invitation = member_invitation(email="fixed@example.org")

    staff_client.post(
        reverse("admin:members_invitation_change", args=[invitation.pk]),
        {"email": "changed@example.org", "organisation": OrganisationFactory().pk},
    )

    invitation.refresh_from_db()
    assert invitation.email == "fixed@example.org"


def test_contacts_are_listed_searched_and_removed_through_the_service(staff_client):
    contact = member_contact(organisation=OrganisationFactory(name="Parque Tecnológico Sur"))
    other = member_contact(organisation=OrganisationFactory(name="Other Park"))
    url = reverse("admin:members_contact_changelist")

    found = staff_client.get(url, {"q": "Tecnológico"}).text
    by_mail = staff_client.get(url, {"q": other.user.email}).text
    assert contact.user.email in found and other.user.email not in found
    assert other.user.email in by_mail and contact.user.email not in by_mail

    staff_client.post(reverse("admin:members_contact_delete", args=[contact.pk]), {"post": "yes"})

    assert list(Contact.objects.all()) == [other]
    assert contact.history.filter(history_type="-").exists()


def test_contacts_have_no_add_page(staff_client):
    assert staff_client.get(reverse("admin:members_contact_add")).status_code == 403
    page = staff_client.get(reverse("admin:members_contact_changelist")).text
    assert reverse("admin:members_contact_add") not in page


def test_inviting_a_person_only(staff_client, django_capture_on_commit_callbacks):
    person = PersonFactory(name="Luisa Ferrer")

    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(
            reverse("admin:members_invitation_add"),
            {"email": "luisa@example.org", "organisation": "", "person": person.pk},
        )

    assert Invitation.objects.get().person == person
    assert "Luisa Ferrer" in mail.outbox[0].body
