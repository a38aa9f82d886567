from django.contrib.auth import get_permission_codename
from django.db import models
from rest_framework import permissions


def is_staff_caller(request) -> bool:
    """A caller with a write token (it says so itself) acting as a staff member."""
    return bool(getattr(request.auth, "can_write", False)) and request.user.is_staff


def may_read_private(request, model: type[models.Model]) -> bool:
    """A staff caller whose account may view `model`'s records in the admin: the API shows it
    what the admin would (private and draft records, staff-only fields), and no more."""
    opts = model._meta
    return is_staff_caller(request) and request.user.has_perm(
        f"{opts.app_label}.{get_permission_codename('view', opts)}"
    )


class ReadOnlyUnlessStaffToken(permissions.DjangoModelPermissions):
    """Anyone reads public data; writing takes a staff token whose member may change the model."""

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        if not is_staff_caller(request):
            return False
        return super().has_permission(request, view)
