import datetime

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from core.rest.authentication import hash_key
from portal.models import ApiToken
from portal.services import issue_api_token, revoke_api_token
from tests.api_support import errors
from tests.factories import OrganisationFactory, TopicFactory, UserFactory

pytestmark = pytest.mark.django_db


def bearer(key: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_issued_token_keeps_only_a_hash_of_its_key():
    token, key = issue_api_token(name="Map", organisation=OrganisationFactory())

    stored = ApiToken.objects.get(pk=token.pk)
    assert key.startswith("spp_") and len(key) > 40
    assert stored.key_hash == hash_key(key)
    assert key not in {stored.key_hash, stored.prefix, stored.name}
    assert stored.prefix == key[:12]


def test_anonymous_caller_reads_public_data(api_client):
    TopicFactory(name="Energy efficiency", slug="energy-efficiency")

    response = api_client.get("/api/v1/topics/")

    assert response.status_code == 200
    assert [topic["slug"] for topic in response.json()["results"]] == ["energy-efficiency"]


def test_partner_token_reads_and_records_its_use(api_client, partner_token):
    TopicFactory(slug="ai")
    assert partner_token.last_used_at is None

    response = api_client.get("/api/v1/topics/", **bearer(partner_token.key))

    assert response.status_code == 200
    partner_token.refresh_from_db()
    assert timezone.now() - partner_token.last_used_at < datetime.timedelta(minutes=1)


def test_token_keyword_is_also_accepted(api_client, partner_token):
    response = api_client.get("/api/v1/topics/", HTTP_AUTHORIZATION=f"Token {partner_token.key}")

    assert response.status_code == 200


@pytest.mark.parametrize(
    ("header", "detail"),
    [
        ("Bearer spp_not-a-real-key", "Invalid token."),
        ("Bearer", "Send the header as “Bearer <key>”."),
        ("Bearer two words", "Send the header as “Bearer <key>”."),
    ],
)
def test_bad_token_is_refused_with_401(api_client, header, detail):
    response = api_client.get("/api/v1/topics/", HTTP_AUTHORIZATION=header)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert response.json()["errors"][0]["detail"] == detail


def test_expired_token_is_refused(api_client):
    token, key = issue_api_token(
        name="Old",
        organisation=OrganisationFactory(),
        expires_at=timezone.now() - datetime.timedelta(days=1),
    )

    response = api_client.get("/api/v1/topics/", **bearer(key))

    assert response.status_code == 401
    assert response.json()["errors"][0]["detail"] == "This token has expired."
    token.refresh_from_db()
    assert token.last_used_at is None


def test_revoked_token_is_refused(api_client, partner_token):
    revoke_api_token(token=partner_token)

    response = api_client.get("/api/v1/topics/", **bearer(partner_token.key))

    assert response.status_code == 401
    assert response.json()["errors"][0]["detail"] == "This token has been revoked."


def test_anonymous_write_needs_credentials(api_client):
    response = api_client.post("/api/v1/organisations/", {"name": "X"}, format="json")

    assert response.status_code == 401


def test_partner_token_cannot_write(api_client, partner_token):
    response = api_client.post(
        "/api/v1/organisations/", {"name": "X"}, format="json", **bearer(partner_token.key)
    )

    assert response.status_code == 403
    assert errors(response) == [(None, "permission_denied")]


def test_write_token_of_staff_without_the_model_permission_is_refused(api_client):
    editor = UserFactory(is_staff=True)
    editor.user_permissions.add(Permission.objects.get(codename="view_organisation"))
    _token, key = issue_api_token(name="Editor", access=ApiToken.Access.WRITE, user=editor)

    response = api_client.post(
        "/api/v1/organisations/", {"name": "X"}, format="json", **bearer(key)
    )

    assert response.status_code == 403


def test_write_token_of_a_deactivated_staff_member_stops_working(api_client, staff_token):
    staff_token.user.is_active = False
    staff_token.user.save()

    response = api_client.get("/api/v1/topics/", **bearer(staff_token.key))

    assert response.status_code == 401


def test_partner_token_needs_an_owner_organisation():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as raised:
        issue_api_token(name="Nobody's")

    assert "api_token_has_owner" in str(raised.value) or "owner organisation" in str(raised.value)


def test_a_staff_token_without_view_permission_reads_only_what_visitors_read(api_client):
    from agreements.models import Agreement
    from portal.models import ApiToken
    from portal.services import issue_api_token
    from tests.factories import AgreementFactory, UserFactory

    hidden = AgreementFactory(is_public=False)
    shown = AgreementFactory()
    no_group = UserFactory(is_staff=True)  # staff status, but no role and no permission
    _token, key = issue_api_token(name="Ungrouped", access=ApiToken.Access.WRITE, user=no_group)
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")

    listed = [row["slug"] for row in api_client.get("/api/v1/agreements/").json()["results"]]
    assert listed == [shown.slug]
    assert api_client.get(f"/api/v1/agreements/{hidden.slug}/").status_code == 404
    assert Agreement.objects.filter(pk=hidden.pk, is_public=False).exists()
