"""Who is told: the accounts that hold a permission, for staff notifications by e-mail."""

from django.contrib.auth import get_user_model
from django.db import models


def users_with_permission(permission: str) -> models.QuerySet:
    """Active accounts with an e-mail address that hold `permission` ("app_label.codename"):
    superusers, and users given it themselves or through a group (the Editors)."""
    return (
        get_user_model()
        .objects.with_perm(
            permission, is_active=True, backend="django.contrib.auth.backends.ModelBackend"
        )
        .exclude(email="")
        .order_by("pk")
    )
