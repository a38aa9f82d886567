"""Who is told: the accounts that hold a permission, for staff notifications by e-mail."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import models
from django.db.models import Q


def users_with_permission(permission: str) -> models.QuerySet:
    """Active accounts with an e-mail address that hold `permission` ("app_label.codename"):
    superusers, and users given it themselves or through a group (the Editors)."""
    app_label, codename = permission.split(".", 1)
    granted = Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .exclude(email="")
        .filter(
            Q(is_superuser=True)
            | Q(user_permissions__in=granted)
            | Q(groups__permissions__in=granted)
        )
        .distinct()
        .order_by("pk")
    )
