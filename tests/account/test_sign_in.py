"""Signing in to the members' area (django-allauth): by password, by a code sent by e-mail,
the password reset, the limits on attempts, and allauth's pages in the portal's layout."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from tests.factories import OrganisationFactory, UserFactory, member_contact

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"  # the factories' password
NEW_PASSWORD = "another quite unusual passphrase 7"


@pytest.fixture
def member():
    user = UserFactory(username="member", email="member@example.org")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    member_contact(user=user, organisation=OrganisationFactory(name="Technopark Aurora"))
    mail.outbox.clear()
    return user


@pytest.fixture
def sent(django_capture_on_commit_callbacks):
    """Run a request and hand the mail its transaction queued."""

    def sent(call, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return call(*args, **kwargs)

    return sent


def signed_in_home(client):
    return client.get(reverse("account:home"))


def test_login_page_says_who_may_sign_in_and_offers_no_sign_up(client):
    page = client.get(reverse("account_login"))

    assert page.status_code == 200
    assert "Sign in to the members' area" in page.text
    assert "invited by the International Association of Science Parks" in page.text
    assert "sign up" not in page.text.lower()
    assert reverse("account_request_login_code") in page.text
    assert '<label for="id_login">' in page.text
    assert '<label for="id_password">' in page.text
    assert 'class="site-header' in page.text or "<header" in page.text


def test_sign_up_is_closed(client):
    response = client.get(reverse("account_signup"))

    assert response.status_code == 200
    assert "Accounts are by invitation" in response.text
    assert "<header" in response.text
    assert 'name="password1"' not in response.text


def test_sign_in_by_password_lands_on_the_members_area(client, member):
    response = client.post(
        reverse("account_login"), {"login": "Member@Example.org", "password": PASSWORD}
    )

    assert response.status_code == 302 and response.url == reverse("account:home")
    home = signed_in_home(client)
    assert "Technopark Aurora" in home.text
    assert home["Cache-Control"] == "private, no-store"


def test_a_wrong_password_is_an_error_on_the_form(client, member):
    response = client.post(reverse("account_login"), {"login": member.email, "password": "nope"})

    assert response.status_code == 200
    assert "The email address and/or password you specified are not correct." in response.text
    assert signed_in_home(client).status_code == 302


def code_in(message) -> str:
    return re.search(r"^\s*([A-Z0-9-]{6,})\s*$", message.body, re.M).group(1)


def test_sign_in_by_a_code_read_from_the_mail(client, member, sent):
    response = sent(
        client.post, reverse("account_request_login_code"), {"email": "member@example.org"}
    )

    assert response.status_code == 302
    assert response.url == reverse("account_confirm_login_code")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["member@example.org"]
    assert "International Association of Science Parks and Areas of Innovation" in message.body
    html = message.alternatives[0][0]
    code = code_in(message)
    assert code in html
    confirm_page = client.get(response.url)
    assert confirm_page.status_code == 200 and "<header" in confirm_page.text

    signed_in = client.post(response.url, {"code": code})

    assert signed_in.status_code == 302 and signed_in.url == reverse("account:home")
    assert "Technopark Aurora" in signed_in_home(client).text


def test_a_wrong_code_is_refused(client, member, sent):
    sent(client.post, reverse("account_request_login_code"), {"email": member.email})

    response = client.post(reverse("account_confirm_login_code"), {"code": "WRONG1"})

    assert response.status_code == 200
    assert "Incorrect code." in response.text
    assert signed_in_home(client).status_code == 302


def test_password_reset_end_to_end(client, member, sent):
    asked = sent(client.post, reverse("account_reset_password"), {"email": member.email})

    assert asked.status_code == 302 and asked.url == reverse("account_reset_password_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    link = re.search(r"https?://\S+/account/password/reset/key/\S+/", message.body).group(0)
    assert link in message.alternatives[0][0]
    assert "International Association of Science Parks and Areas of Innovation" in message.body

    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    assert '<label for="id_password1">' in form_page.text
    set_url = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link
    changed = client.post(set_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assert changed.status_code == 302
    client.logout()
    signed_in = client.post(
        reverse("account_login"), {"login": member.email, "password": NEW_PASSWORD}
    )
    assert signed_in.status_code == 302 and signed_in.url == reverse("account:home")


@pytest.mark.parametrize(
    ("url_name", "data"),
    [
        ("account_reset_password", {"email": "nobody@example.org"}),
        ("account_request_login_code", {"email": "nobody@example.org"}),
    ],
)
def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, member, sent, url_name, data):
    unknown = sent(client.post, reverse(url_name), data)
    client.cookies.clear()
    known = sent(client.post, reverse(url_name), {"email": member.email})

    assert (unknown.status_code, unknown.url) == (known.status_code, known.url)
    assert [message.to for message in mail.outbox] == [[member.email]]
    if url_name == "account_reset_password":
        assert client.get(unknown.url).text.replace(member.email, "") == client.get(
            known.url
        ).text.replace(member.email, "")


def test_failed_sign_ins_are_limited(client, member):
    with override_settings(ACCOUNT_RATE_LIMITS={"login_failed": "2/m/ip"}):
        for _attempt in range(2):
            client.post(reverse("account_login"), {"login": member.email, "password": "nope"})

        refused = client.post(
            reverse("account_login"), {"login": member.email, "password": PASSWORD}
        )

    assert "Too many failed login attempts" in refused.text
    assert signed_in_home(client).status_code == 302


def test_code_requests_are_limited(client, member, sent):
    with override_settings(ACCOUNT_RATE_LIMITS={"request_login_code": "1/m/key"}):
        first = sent(client.post, reverse("account_request_login_code"), {"email": member.email})
        client.cookies.clear()
        second = sent(client.post, reverse("account_request_login_code"), {"email": member.email})

    assert first.status_code == 302
    assert second.status_code in (200, 429)
    assert len(mail.outbox) == 1


def test_password_resets_are_limited(client, member, sent):
    with override_settings(ACCOUNT_RATE_LIMITS={"reset_password": "1/m/key"}):
        sent(client.post, reverse("account_reset_password"), {"email": member.email})
        refused = sent(client.post, reverse("account_reset_password"), {"email": member.email})

    assert refused.status_code in (200, 429)
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    "url_name",
    [
        "account_login",
        "account_request_login_code",
        "account_reset_password",
        "account_reset_password_done",
    ],
)
def test_allauth_pages_render_in_the_portal_layout(client, url_name):
    page = client.get(reverse(url_name))

    assert page.status_code == 200
    assert "<header" in page.text and "<footer" in page.text
    assert 'name="robots" content="noindex"' in page.text


@pytest.mark.parametrize("url_name", ["account_change_password", "account_email", "account_logout"])
def test_account_pages_of_a_signed_in_member_render(client, member, url_name):
    client.force_login(member)

    page = client.get(reverse(url_name))

    assert page.status_code == 200
    assert "<footer" in page.text
    assert 'class="area-nav"' in page.text


def test_password_change_shows_field_errors(client, member):
    client.force_login(member)

    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": "wrong", "password1": "short", "password2": "other"},
    )

    assert response.status_code == 200
    assert 'class="errorlist"' in response.text
    assert "Please type your current password." in response.text


def test_sign_out(client, member):
    client.force_login(member)

    response = client.post(reverse("account_logout"))

    assert response.status_code == 302
    assert signed_in_home(client).status_code == 302


def test_a_member_is_never_let_into_the_admin(client, member):
    client.post(reverse("account_login"), {"login": member.email, "password": PASSWORD})
    member.save()
    member.refresh_from_db()

    admin = client.get(reverse("admin:index"))
    staff_login = client.post(
        reverse("admin:login"),
        {"username": member.username, "password": PASSWORD, "next": reverse("admin:index")},
    )

    assert (member.is_staff, member.is_superuser) == (False, False)
    assert admin.status_code == 302 and admin.url.startswith(reverse("admin:login"))
    assert staff_login.status_code == 200
    assert "has no access to the staff admin" in staff_login.text


HOSTILE_KEYS = [
    "x",
    "0-0",
    "zz-" + "a" * 300,
    "1-%00",
    "1-' OR 1=1 --",
    "%ED%A0%80-%ED%A0%80",
    "1-<script>alert(1)<%2Fscript>",
    "ü-ü",
    "-1--1",
]


@pytest.mark.parametrize("key", HOSTILE_KEYS)
def test_hostile_reset_and_confirmation_keys_never_fail(client, member, key):
    """allauth's two routes by regular expression, which the hostile walk cannot fill."""
    answers = [
        client.get(f"/account/password/reset/key/{key}/"),
        client.post(f"/account/password/reset/key/{key}/", {"password1": "x", "password2": "y"}),
        client.get(f"/account/confirm-email/{key}/"),
        client.post(f"/account/confirm-email/{key}/"),
    ]

    assert all(answer.status_code < 500 for answer in answers), [a.status_code for a in answers]
