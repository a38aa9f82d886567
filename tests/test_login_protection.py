"""Admin logins: repeated failures lock a user name out from one address (django-axes), and
staff passwords must pass the password validators."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.test import override_settings
from django.urls import reverse

from tests.factories import StaffUserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"  # the factories' password
ATTACKER, COLLEAGUE = "203.0.113.7", "198.51.100.20"


def log_in(client, password: str, address: str = ATTACKER, username: str = "editor"):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
        REMOTE_ADDR=address,
    )


@pytest.fixture
def editor():
    return StaffUserFactory(username="editor")


@pytest.fixture
def axes_on():
    with override_settings(AXES_ENABLED=True):
        yield


def is_logged_in(response) -> bool:
    return response.status_code == 302 and response.url == reverse("admin:index")


@pytest.mark.usefixtures("axes_on", "editor")
def test_login_failures_show_the_form_again_until_the_fifth_locks_out(client):
    responses = [log_in(client, "wrong") for _attempt in range(5)]

    assert [response.status_code for response in responses] == [200, 200, 200, 200, 429]
    assert "Please enter the correct username and password" in responses[3].text
    assert "Too many failed logins" in responses[4].text


@pytest.mark.usefixtures("axes_on", "editor")
def test_login_sixth_attempt_is_locked_out_even_with_the_right_password(client):
    for _attempt in range(5):
        log_in(client, "wrong")

    wrong = log_in(client, "wrong")
    right = log_in(client, PASSWORD)

    for response in (wrong, right):
        assert response.status_code == 429
        assert "Too many failed logins" in response.text
    assert not is_logged_in(right)
    assert "_auth_user_id" not in client.session
    assert (
        AccessAttempt.objects.get(username="editor", ip_address=ATTACKER).failures_since_start >= 5
    )


@pytest.mark.usefixtures("axes_on", "editor")
def test_login_lockout_leaves_another_address_free(client):
    for _attempt in range(6):
        log_in(client, "wrong")

    response = log_in(client, PASSWORD, address=COLLEAGUE)

    assert is_logged_in(response)


@pytest.mark.usefixtures("axes_on", "editor")
def test_login_lockout_leaves_another_user_name_from_the_address_free(client):
    StaffUserFactory(username="colleague")
    for _attempt in range(6):
        log_in(client, "wrong")

    response = log_in(client, PASSWORD, username="colleague")

    assert is_logged_in(response)


@pytest.mark.usefixtures("axes_on", "editor")
def test_login_success_before_the_limit_resets_the_count(client):
    for _attempt in range(4):
        log_in(client, "wrong")
    assert is_logged_in(log_in(client, PASSWORD))
    client.logout()

    for _attempt in range(4):
        log_in(client, "wrong")

    assert is_logged_in(log_in(client, PASSWORD))


# Password validators


def add_user(client, password: str, username: str = "newcomer"):
    return client.post(
        reverse("admin:auth_user_add"),
        {
            "username": username,
            "usable_password": "true",
            "password1": password,
            "password2": password,
        },
    )


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("Xq7#pz", "This password is too short. It must contain at least 8 characters."),
        ("password123", "This password is too common."),
        ("4829173650", "This password is entirely numeric."),
        ("newcomer-1", "The password is too similar to the username."),
    ],
    ids=["short", "common", "numeric", "like-the-user-name"],
)
def test_user_add_form_refuses_a_weak_password(staff_client, password, reason):
    response = add_user(staff_client, password)

    assert response.status_code == 200
    assert reason in response.text
    assert not get_user_model().objects.filter(username="newcomer").exists()


def test_user_add_form_takes_a_strong_password(staff_client):
    response = add_user(staff_client, "tidal-copper-lantern-94")

    assert response.status_code == 302
    assert (
        get_user_model().objects.get(username="newcomer").check_password("tidal-copper-lantern-94")
    )
