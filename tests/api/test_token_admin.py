import re

import pytest

from core.rest.authentication import hash_key
from portal.models import ApiToken
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_staff_create_a_partner_token_and_see_its_key_once(staff_client, api_client):
    park = OrganisationFactory(name="Chiang Mai University Science and Technology Park")

    response = staff_client.post(
        "/admin/portal/apitoken/add/",
        {
            "name": "Member map",
            "access": "read",
            "organisation": park.pk,
            "expires_at_0": "",
            "expires_at_1": "",
        },
        follow=True,
    )

    assert response.status_code == 200
    messages = [str(message) for message in response.context["messages"]]
    key = re.search(r"(spp_[\w-]+)", messages[0]).group(1)
    token = ApiToken.objects.get()
    assert token.key_hash == hash_key(key)
    assert token.created_by.username == "staff"
    assert token.organisation == park
    assert api_client.get("/api/v1/topics/", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    # The key is not on the token's page afterwards.
    page = staff_client.get(f"/admin/portal/apitoken/{token.pk}/change/").content.decode()
    assert key not in page
    assert token.prefix in page


def test_partner_token_without_organisation_is_a_form_error(staff_client):
    response = staff_client.post(
        "/admin/portal/apitoken/add/",
        {"name": "Orphan", "access": "read", "expires_at_0": "", "expires_at_1": ""},
    )

    assert response.status_code == 200
    assert "A partner token needs its owner organisation" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_revoke_action_stops_a_token(staff_client, api_client, partner_token):
    response = staff_client.post(
        "/admin/portal/apitoken/",
        {"action": "revoke", "_selected_action": [partner_token.pk]},
        follow=True,
    )

    assert "1 token revoked." in response.content.decode()
    refused = api_client.get("/api/v1/topics/", HTTP_AUTHORIZATION=f"Bearer {partner_token.key}")
    assert refused.status_code == 401
