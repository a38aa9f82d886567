"""Every role on every admin page and every bulk action: anonymous visitors, Viewers, Editors,
superusers. A new model admin or action is covered here as soon as it is registered."""

import functools
from unittest import mock

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import RequestFactory

from core.admin import HistoryAdmin, ImportExportAdminMixin
from portal.roles import EDITORS, VIEWERS, record_models
from tests.admin_support import ADMIN_PAGES, admin_url
from tests.factories import UserFactory, member_contact

pytestmark = pytest.mark.django_db

PAGES = list(ADMIN_PAGES)
PAGE_IDS = [f"{app_label}.{model_name}" for app_label, model_name in PAGES]
# "member": a contact of a member organisation, signed in to the members' area; the staff admin
# treats them as it treats a visitor.
ROLES = ["anonymous", "member", VIEWERS, EDITORS, "superuser"]


def user_for(role: str):
    if role == "anonymous":
        return None
    if role == "member":
        return member_contact().user
    if role == "superuser":
        return UserFactory(is_staff=True, is_superuser=True)
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return user


RECORD_MODELS = {(model._meta.app_label, model._meta.model_name) for model in record_models()}


def is_record(app_label: str, model_name: str) -> bool:
    return (app_label, model_name) in RECORD_MODELS


def expected(role: str, app_label: str, model_name: str, view: str) -> int:
    """The status a role gets on an admin page: 302 to the login, 403, or 200."""
    if role in ("anonymous", "member"):
        return 302
    if view == "add" and not ADMIN_PAGES[app_label, model_name].addable:
        return 403  # made elsewhere: a contact by an accepted invitation
    if role == "superuser":
        return 200
    if not is_record(app_label, model_name):
        return 403  # users, groups and API tokens stay with superusers
    if view == "changelist":
        return 200
    return 200 if role == EDITORS else 403


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("app_label", "model_name"), PAGES, ids=PAGE_IDS)
def test_every_role_on_every_admin_page(client, role, app_label, model_name):
    user = user_for(role)
    if user is not None:
        client.force_login(user)

    outcome = {
        view: client.get(admin_url(app_label, model_name, view)).status_code
        for view in ("changelist", "add")
    }

    assert outcome == {
        "changelist": expected(role, app_label, model_name, "changelist"),
        "add": expected(role, app_label, model_name, "add"),
    }


OBJECT_VIEWS = ("change", "delete", "history")


def expected_on_object(role: str, app_label: str, model_name: str, view: str) -> int:
    if role in ("anonymous", "member"):
        return 302
    if view == "delete" and not ADMIN_PAGES[app_label, model_name].deletable:
        return 403
    if role == "superuser":
        return 200
    if not is_record(app_label, model_name):
        return 403
    if view == "delete":
        deletable = ADMIN_PAGES[app_label, model_name].deletable
        return 200 if role == EDITORS and deletable else 403
    return 200  # viewers read the form (read-only) and the history


# A party of a two-party agreement is replaced on the agreement's page: whoever may delete it
# is sent there (302) instead of to the confirmation page.
KEPT_BY_THE_MINIMUM = {("agreements", "agreementparty", "delete")}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("app_label", "model_name"), PAGES, ids=PAGE_IDS)
def test_every_role_on_every_record_page_and_import(client, role, app_label, model_name):
    obj = ADMIN_PAGES[app_label, model_name].make()
    model_admin = admin.site._registry[type(obj)]
    user = user_for(role)
    if user is not None:
        client.force_login(user)

    outcome = {
        view: client.get(admin_url(app_label, model_name, view, obj.pk)).status_code
        for view in OBJECT_VIEWS
    }
    wanted = {view: expected_on_object(role, app_label, model_name, view) for view in OBJECT_VIEWS}
    for view in OBJECT_VIEWS:
        if (app_label, model_name, view) in KEPT_BY_THE_MINIMUM and wanted[view] == 200:
            wanted[view] = 302
    if isinstance(model_admin, ImportExportAdminMixin):
        outcome["import"] = client.get(admin_url(app_label, model_name, "import")).status_code
        wanted["import"] = expected(role, app_label, model_name, "add")

    assert outcome == wanted


def registered_actions():
    for model, model_admin in admin.site._registry.items():
        for action in model_admin.actions or ():
            function = getattr(model_admin, action) if isinstance(action, str) else action
            yield model, model_admin, function


def test_every_bulk_action_declares_the_permission_it_needs():
    undeclared = [
        f"{model._meta.label}.{function.__name__}"
        for model, _admin, function in registered_actions()
        if not getattr(function, "allowed_permissions", ())
    ]

    assert undeclared == []


@pytest.mark.parametrize("role", [VIEWERS, EDITORS, "superuser"])
def test_each_role_is_offered_exactly_the_actions_its_permissions_allow(role):
    user = user_for(role)
    request = RequestFactory().get("/admin/")
    request.user = user

    offered = {
        (model._meta.label, name)
        for model, model_admin in admin.site._registry.items()
        for name in model_admin.get_actions(request)
    }

    if role == VIEWERS:
        assert offered == set()
    elif role == EDITORS:
        assert offered, "editors keep the records: some bulk actions must be offered"
        records = {model._meta.label for model in record_models()}
        assert {label for label, _name in offered} <= records
        assert ("agreements.Agreement", "make_private") in offered
    else:
        assert ("portal.ApiToken", "revoke") in offered
        assert ("agreements.Agreement", "make_public") in offered


ACTIONS = [
    (model, name)
    for model, model_admin in admin.site._registry.items()
    for name in (model_admin.actions or ())
    if isinstance(name, str) and (model._meta.app_label, model._meta.model_name) in ADMIN_PAGES
]


def may(user, model, function) -> bool:
    """Whether `user` may run the action: its declared permissions, and a bulk action writes, so
    one that declares none is taken to need the change permission."""
    if user is None:
        return False
    opts = model._meta
    needed = getattr(function, "allowed_permissions", ()) or ("change",)
    return all(
        user.has_perm(f"{opts.app_label}.{permission}_{opts.model_name}") for permission in needed
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("model", "name"), ACTIONS, ids=[f"{m._meta.label}.{n}" for m, n in ACTIONS]
)
def test_a_bulk_action_runs_only_for_a_role_with_its_permission(client, role, model, name):
    """Posted straight to the changelist, past the menu: an action runs for exactly the roles
    whose permissions it declares, and for nobody else (an escalation fails here)."""
    model_admin = admin.site._registry[model]
    original = getattr(type(model_admin), name)
    calls = []

    @functools.wraps(original)
    def recorded(self, request, queryset):
        calls.append(list(queryset.values_list("pk", flat=True)))

    obj = ADMIN_PAGES[model._meta.app_label, model._meta.model_name].make()
    user = user_for(role)
    if user is not None:
        client.force_login(user)
    url = admin_url(model._meta.app_label, model._meta.model_name, "changelist")
    with mock.patch.object(type(model_admin), name, recorded):
        response = client.post(url, {"action": name, "_selected_action": [obj.pk]})

    allowed = role != "member" and may(user, model, original)
    assert calls == ([[obj.pk]] if allowed else [])
    if role in ("anonymous", "member") or allowed:
        assert response.status_code == 302  # to the login; back to the list after the action
    else:  # the list again, "no action selected", or no list at all
        is_a_record = is_record(model._meta.app_label, model._meta.model_name)
        assert response.status_code == (200 if is_a_record else 403)


ADMIN_PAGES_MODELS = {
    (model._meta.app_label, model._meta.model_name): model for model in admin.site._registry
}
HISTORIED = [
    (app_label, model_name)
    for app_label, model_name in PAGES
    if isinstance(admin.site._registry.get(ADMIN_PAGES_MODELS[app_label, model_name]), HistoryAdmin)
]


# Invitations and contacts change through their services only: their versions are read, never
# restored.
NEVER_REVERTED = {("members", "invitation"), ("members", "contact")}
# Webhook subscriptions too: a version has no secret to restore, and a change goes through
# their services.
NEVER_REVERTED |= {("portal", "webhooksubscription")}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("app_label", "model_name"), HISTORIED, ids=[f"{a}.{m}" for a, m in HISTORIED]
)
def test_every_role_on_every_revert(client, role, app_label, model_name):
    """A version's page is read by whoever reads the record; restoring it takes the change
    permission, checked before the form is read."""
    obj = ADMIN_PAGES[app_label, model_name].make()
    version = obj.history.earliest()
    user = user_for(role)
    if user is not None:
        client.force_login(user)
    url = admin_url(app_label, model_name, "simple_history", obj.pk, version.history_id)

    outcome = (client.get(url).status_code, client.post(url, {}).status_code)

    if role in (VIEWERS, EDITORS) and not is_record(app_label, model_name):
        assert outcome == (403, 403)  # the portal's settings stay with superusers
        return
    if role not in ("anonymous", "member") and (app_label, model_name) in NEVER_REVERTED:
        assert outcome == (200, 403)
        return
    expected_outcome = {
        "anonymous": (302, 302),
        "member": (302, 302),
        VIEWERS: (200, 403),
        # The empty form comes back with its errors: the permission let it through.
        EDITORS: (200, 200),
        "superuser": (200, 200),
    }[role]
    assert outcome == expected_outcome
