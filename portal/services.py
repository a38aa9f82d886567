import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from core.rest.authentication import hash_key
from members.models import Organisation

from .models import ApiToken, new_key


@transaction.atomic
def issue_api_token(
    *,
    name: str,
    access: str = ApiToken.Access.READ,
    organisation: Organisation | None = None,
    user: AbstractBaseUser | None = None,
    expires_at: datetime.datetime | None = None,
    created_by: AbstractBaseUser | None = None,
    token: ApiToken | None = None,
) -> tuple[ApiToken, str]:
    """Save a new token; return it with its key, which is not stored and cannot be shown again."""
    key = new_key()
    token = token or ApiToken()
    token.name = name
    token.access = access
    token.organisation = organisation
    token.user = user
    token.expires_at = expires_at
    token.created_by = created_by
    token.prefix = key[:12]
    token.key_hash = hash_key(key)
    token.full_clean()
    token.save()
    return token, key


def revoke_api_token(*, token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
