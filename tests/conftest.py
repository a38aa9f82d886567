import pytest
from django.core.cache import cache

from tests.factories import StaffUserFactory

# The real SMTP server and task worker some tests start (tests/mail_support.py), and the
# webhook receivers (tests/webhook_support.py).
pytest_plugins = ["tests.mail_support", "tests.webhook_support"]


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: no page, API answer or rate count of another.
    Only the menu's links to staff-written pages are known: there are none, until a test
    saves one (the services then forget them). Their one query is counted in test_pages."""
    from portal.navigation import CACHE_KEY, NO_PAGES

    cache.clear()
    cache.set(CACHE_KEY, NO_PAGES, None)
    yield
    cache.clear()


@pytest.fixture
def staff_user(db):
    return StaffUserFactory(username="staff")


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture
def partner_token(db):
    """A partner's read token; `.key` holds the key to send."""
    from portal.services import issue_api_token
    from tests.factories import OrganisationFactory

    token, key = issue_api_token(name="Partner site", organisation=OrganisationFactory())
    token.key = key
    return token


@pytest.fixture
def staff_token(db, staff_user):
    from portal.models import ApiToken
    from portal.services import issue_api_token

    token, key = issue_api_token(name="Staff import", access=ApiToken.Access.WRITE, user=staff_user)
    token.key = key
    return token


@pytest.fixture
def partner_client(api_client, partner_token):
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {partner_token.key}")
    return api_client


@pytest.fixture
def staff_api_client(api_client, staff_token):
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {staff_token.key}")
    return api_client
