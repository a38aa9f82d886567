"""Staff roles as groups: editors keep the records, viewers read them.

Staff keep the records of the record apps (RECORD_APPS) and the pages of the portal; users,
groups and API tokens (the rest of the `auth` and `portal` apps) stay with superusers. The groups
hold exactly the permissions listed here: `ensure_staff_groups()` creates what is missing and
removes what a group should not have, and can run any number of times.
"""

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_permission_codename
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import DEFAULT_DB_ALIAS, models, transaction
from django.db.models import Q
from simple_history.models import HistoricalChanges

EDITORS = "Editors"
VIEWERS = "Viewers"

# The portal's models that are records staff keep (with their history): the pages they write.
PORTAL_RECORDS = ("page", "historicalpage")


# Actions per role: on the records, and on their change history (the history page, reverting).
ROLES: dict[str, dict[str, tuple[str, ...]]] = {
    EDITORS: {"record": ("add", "change", "delete", "view"), "history": ("view", "change")},
    VIEWERS: {"record": ("view",), "history": ("view",)},
}


def record_models() -> list[type[models.Model]]:
    """Every model of the record apps, and the portal's records, history models included, as
    the code defines them now."""
    portal = apps.get_app_config("portal")
    return [
        *(
            model
            for label in settings.RECORD_APPS
            for model in apps.get_app_config(label).get_models()
        ),
        *(portal.get_model(name) for name in PORTAL_RECORDS),
    ]


def role_permissions(role: str, using: str = DEFAULT_DB_ALIAS) -> models.QuerySet[Permission]:
    actions = ROLES[role]
    content_types = ContentType.objects.db_manager(using).get_for_models(
        *record_models(), for_concrete_models=False
    )
    wanted = Q(pk__in=[])
    for model, content_type in content_types.items():
        kind = "history" if issubclass(model, HistoricalChanges) else "record"
        codenames = [get_permission_codename(action, model._meta) for action in actions[kind]]
        wanted |= Q(content_type=content_type, codename__in=codenames)
    return Permission.objects.using(using).filter(wanted)


@transaction.atomic
def ensure_staff_groups(using: str = DEFAULT_DB_ALIAS) -> dict[str, int]:
    """Create or correct the role groups; how many permissions each now has."""
    # Permissions of new models are otherwise made only after the last migration has run.
    for label in (*settings.RECORD_APPS, "portal"):
        create_permissions(apps.get_app_config(label), verbosity=0, using=using)
    counts = {}
    for role in ROLES:
        group, _created = Group.objects.using(using).get_or_create(name=role)
        permissions = list(role_permissions(role, using))
        group.permissions.set(permissions)
        counts[role] = len(permissions)
    return counts


def has_admin_access(user) -> bool:
    """Who may use the admin: an active superuser, or an active member of a role group.

    The role alone decides; "staff status" follows it (`sync_staff_status`) for the API,
    which asks it of a token's user. The answer is kept on the user for the request.
    """
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    if not hasattr(user, "_staff_roles_cache"):
        user._staff_roles_cache = set(
            user.groups.filter(name__in=ROLES).values_list("name", flat=True)
        )
    return bool(user._staff_roles_cache)


@transaction.atomic
def sync_staff_status(*, user) -> bool:
    """Give staff status to superusers and members of a role group, and take it from others.

    Returns whether the user now has it.
    """
    user.__dict__.pop("_staff_roles_cache", None)
    wanted = user.is_superuser or user.groups.filter(name__in=ROLES).exists()
    if user.is_staff != wanted:
        user.is_staff = wanted
        user.save(update_fields=["is_staff"])
    return wanted
