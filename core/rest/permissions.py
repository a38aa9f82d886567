from rest_framework import permissions


def is_staff_caller(request) -> bool:
    """A caller with a write token (it says so itself) acting as a staff member."""
    return bool(getattr(request.auth, "can_write", False)) and request.user.is_staff


class ReadOnlyUnlessStaffToken(permissions.DjangoModelPermissions):
    """Anyone reads public data; writing takes a staff token whose member may change the model."""

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        if not is_staff_caller(request):
            return False
        return super().has_permission(request, view)
