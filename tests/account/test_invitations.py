"""Invitations to the members' area: the mail, the page its link opens, and what accepting it
makes (an account, a verified address, a contact), once."""

import datetime
import re
from urllib.parse import unquote

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from members.models import Contact, Invitation
from members.services import (
    accept_invitation,
    invite_member,
    remove_contact,
    resend_invitation,
    revoke_invitation,
)
from tests.factories import OrganisationFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a long and unusual passphrase 42"


@pytest.fixture
def organisation():
    return OrganisationFactory(name="Parc Científic de Ponent")


def test_the_subject_keeps_an_ampersand_as_it_is(inviter, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invite_member(
            email="a@example.org",
            organisation=OrganisationFactory(name="Science & Technology Park"),
            invited_by=inviter,
        )

    assert mail.outbox[0].subject.endswith("for Science & Technology Park")
    assert "Science &amp; Technology Park" in mail.outbox[0].alternatives[0][0]


@pytest.fixture
def inviter():
    return UserFactory(username="inviter", first_name="Ana", last_name="Staff", is_staff=True)


@pytest.fixture
def invite(organisation, inviter, django_capture_on_commit_callbacks):
    def invite(email="new.contact@example.org", **kwargs):
        kwargs.setdefault("organisation", organisation)
        with django_capture_on_commit_callbacks(execute=True):
            return invite_member(email=email, invited_by=inviter, **kwargs)

    return invite


def link_in(message) -> str:
    return re.search(r"https?://\S+/account/invitation/[\w-]+/", message.body).group(0)


def path_of(token: str) -> str:
    return reverse("account:invitation", args=[token])


def create_account(client, token, **data):
    return client.post(
        path_of(token),
        {"name": "Marta Puig", "password1": PASSWORD, "password2": PASSWORD, **data},
    )


def test_invitation_mail_names_the_association_organisation_inviter_and_expiry(invite, settings):
    settings.SITE_URL = "https://parks.example.org"
    invitation, token = invite()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    html = message.alternatives[0][0]
    assert message.to == ["new.contact@example.org"]
    assert message.subject == (
        "[IASP] Your invitation to the members' area for Parc Científic de Ponent"
    )
    link = f"https://parks.example.org/account/invitation/{token}/"
    expiry = invitation.expires_at.strftime("%-d %B %Y")
    for body in (message.body, html):
        assert link in body
        assert "International Association of Science Parks and Areas of Innovation" in body
        assert "Ana Staff" in body
        assert "Parc Científic de Ponent" in body
        assert expiry in body
    assert f'href="{link}"' in html
    assert invitation.token_hash != token and token not in str(Invitation.objects.values())


def test_invitation_expires_after_the_configured_days(invite, settings):
    settings.MEMBER_INVITATION_DAYS = 3
    invitation, _token = invite()

    assert invitation.expires_at - timezone.now() == pytest.approx(
        datetime.timedelta(days=3), abs=datetime.timedelta(minutes=1)
    )


def test_a_new_invitation_revokes_the_open_one_for_the_same_address(invite, client):
    first, first_token = invite()
    _second, second_token = invite(email="NEW.contact@example.org")

    first.refresh_from_db()
    assert first.state == "revoked"
    assert client.get(path_of(first_token)).status_code == 410
    assert client.get(path_of(second_token)).status_code == 200


def test_accepting_creates_a_verified_account_a_contact_and_signs_in(invite, client, inviter):
    _invitation, token = invite()
    link = link_in(mail.outbox[0])

    page = client.get(link)
    assert page.status_code == 200
    assert "Create your account" in page.text
    assert "Parc Científic de Ponent" in page.text
    assert page["Cache-Control"] == "private, no-store"

    response = create_account(client, token)

    assert response.status_code == 302 and response.url == reverse("account:home")
    user = get_user_model().objects.get(email="new.contact@example.org")
    assert (user.first_name, user.last_name, user.is_staff) == ("Marta", "Puig", False)
    address = EmailAddress.objects.get(user=user)
    assert (address.email, address.verified, address.primary) == (
        "new.contact@example.org",
        True,
        True,
    )
    contact = Contact.objects.get(user=user)
    assert contact.organisation.name == "Parc Científic de Ponent"
    assert contact.invited_by == inviter
    assert contact.history.get().history_user == inviter
    home = client.get(reverse("account:home"))
    assert home.status_code == 200
    assert "Parc Científic de Ponent" in home.text
    assert "You are now a contact of Parc Científic de Ponent." in home.text


def test_an_invitation_works_once(invite, client):
    _invitation, token = invite()
    create_account(client, token)
    client.logout()

    again = client.get(path_of(token))
    second = create_account(client, token, name="Someone Else")

    assert again.status_code == 410
    assert "This invitation has already been used." in again.text
    assert second.status_code == 410
    assert get_user_model().objects.filter(email="new.contact@example.org").count() == 1


def test_an_expired_invitation_is_refused(invite, client):
    invitation, token = invite()
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )

    page = client.get(path_of(token))

    assert page.status_code == 410
    assert "This invitation has expired." in page.text
    assert create_account(client, token).status_code == 410
    assert not get_user_model().objects.filter(email="new.contact@example.org").exists()
    with pytest.raises(ValidationError):
        accept_invitation(invitation=invitation, user=UserFactory())


def test_a_revoked_invitation_is_refused(invite, client):
    invitation, token = invite()

    revoke_invitation(invitation=invitation)

    page = client.get(path_of(token))
    assert page.status_code == 410
    assert "This invitation has been withdrawn." in page.text
    assert create_account(client, token).status_code == 410


def test_resending_gives_a_new_link_and_kills_the_old(
    invite, client, django_capture_on_commit_callbacks
):
    invitation, old = invite()

    with django_capture_on_commit_callbacks(execute=True):
        _invitation, new = resend_invitation(invitation=invitation)

    assert new != old
    assert len(mail.outbox) == 2 and new in mail.outbox[1].body
    assert client.get(path_of(old)).status_code == 404
    assert client.get(path_of(new)).status_code == 200


@pytest.mark.parametrize(
    "token",
    [
        "x" * 43,
        "short",
        "a" * 500,
        "%00" * 20,
        "' OR 1=1 --aaaaaaaaaaaaaaaa",
        "..%2F..%2Fetc%2Fpasswd",
        "%ED%A0%80" * 8,
        "<script>alert(1)</script>",
        "ü" * 30,
    ],
)
def test_a_hostile_or_unknown_token_is_a_clear_404(client, token, invite):
    invite()

    get = client.get(f"/account/invitation/{token}/")
    post = client.post(f"/account/invitation/{token}/", {"name": "x", "password1": "y"})

    assert get.status_code == post.status_code == 404
    if "/" not in unquote(token):  # a slash leaves the page's address altogether
        assert "This invitation link is not valid." in get.text


def test_form_errors_are_shown_on_their_fields(invite, client):
    _invitation, token = invite()

    response = client.post(
        path_of(token), {"name": "  \x07 ", "password1": "12345678", "password2": "123"}
    )

    assert response.status_code == 200
    assert "The two passwords differ." in response.text
    assert 'class="field field--error"' in response.text
    assert not get_user_model().objects.filter(email="new.contact@example.org").exists()


def test_a_weak_password_is_refused_by_the_validators(invite, client):
    _invitation, token = invite()

    response = create_account(client, token, password1="password", password2="password")

    assert response.status_code == 200
    assert "This password is too common." in response.text
    assert not Contact.objects.exists()


def test_an_existing_account_signs_in_then_accepts(invite, client, organisation):
    user = UserFactory(username="known", email="known@example.org")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    _invitation, token = invite(email="Known@example.org")

    page = client.get(path_of(token))
    assert "An account already exists for Known@example.org" in page.text
    login_url = f"{reverse('account_login')}?next={path_of(token)}"
    assert f'href="{login_url}"' in page.text
    assert create_account(client, token).status_code == 200  # asked to sign in, no account

    signed_in = client.post(
        login_url, {"login": "known@example.org", "password": "correct horse battery staple"}
    )
    assert signed_in.status_code == 302 and signed_in.url == path_of(token)
    assert ">Accept<" in client.get(path_of(token)).text

    accepted = client.post(path_of(token))

    assert accepted.status_code == 302 and accepted.url == reverse("account:home")
    assert Contact.objects.get(user=user).organisation == organisation
    assert get_user_model().objects.filter(email__iexact="known@example.org").count() == 1


def test_signed_in_as_another_address_is_told_and_offered_to_sign_out(invite, client):
    _invitation, token = invite()
    other = UserFactory(username="other", email="other@example.org")
    client.force_login(other)

    page = client.get(path_of(token))
    post = client.post(path_of(token))

    assert "You are signed in as other@example.org" in page.text
    assert f'action="{reverse("account_logout")}"' in page.text
    assert post.status_code == 403
    assert not Contact.objects.exists()


def test_an_invitation_for_a_person_links_their_record(invite, client):
    person = PersonFactory(name="Marta Puig")
    _invitation, token = invite(person=person)

    create_account(client, token)

    person.refresh_from_db()
    assert person.user.email == "new.contact@example.org"


def test_a_person_linked_to_another_account_is_refused(invite, client):
    person = PersonFactory(user=UserFactory(username="holder"))
    _invitation, token = invite(person=person, organisation=None)

    response = create_account(client, token)

    assert response.status_code == 409
    assert "already linked to another account" in response.text
    assert not get_user_model().objects.filter(email="new.contact@example.org").exists()


def test_a_removed_contact_loses_access_at_once(invite, client):
    _invitation, token = invite()
    create_account(client, token)
    assert "Parc Científic de Ponent" in client.get(reverse("account:home")).text

    remove_contact(contact=Contact.objects.get())

    home = client.get(reverse("account:home"))
    assert "Parc Científic de Ponent" not in home.text
    assert "You are not a contact of any organisation." in home.text


def test_a_member_contact_never_enters_the_admin(invite, client):
    _invitation, token = invite()
    create_account(client, token)
    user = get_user_model().objects.get(email="new.contact@example.org")
    user.save()
    user.refresh_from_db()

    response = client.get(reverse("admin:index"))

    assert (user.is_staff, user.is_superuser) == (False, False)
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
    login_page = client.get(response.url)
    assert "Members and people" not in login_page.text


def test_the_invitation_page_costs_a_fixed_number_of_queries(
    invite, client, django_assert_num_queries
):
    _invitation, token = invite(person=PersonFactory())

    with django_assert_num_queries(3):  # the invitation with its records, two account checks
        page = client.get(path_of(token))

    assert page.status_code == 200
