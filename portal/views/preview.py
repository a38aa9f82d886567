"""Who sees drafts: staff who may view the records in the admin see them on their real page,
as a preview marked as not public."""

from django.contrib.auth import get_permission_codename
from django.db import models


def may_preview(user, model: type[models.Model]) -> bool:
    opts = model._meta
    return (
        user.is_active
        and user.is_staff
        and user.has_perm(f"{opts.app_label}.{get_permission_codename('view', opts)}")
    )
