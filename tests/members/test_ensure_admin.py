from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def run() -> str:
    out = StringIO()
    call_command("ensure_admin", stdout=out)
    return out.getvalue()


def test_ensure_admin_creates_a_superuser_whose_printed_password_works(client):
    output = run()
    password = output.split("with the password '")[1].split("'")[0]
    assert client.login(username="admin", password=password)
    assert get_user_model().objects.get(username="admin").is_superuser


def test_ensure_admin_second_run_keeps_the_account_and_prints_no_password():
    run()
    output = run()
    assert "changepassword admin" in output
    assert "password '" not in output
    assert get_user_model().objects.count() == 1
