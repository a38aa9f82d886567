"""Staff roles: editors change every record but not users, groups or API tokens; viewers read
the admin without changing anything."""

import io

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from members.models import Organisation
from portal.roles import EDITORS, VIEWERS, ensure_staff_groups
from tests.factories import OrganisationFactory, UserFactory
from tests.test_history import organisation_form
from tests.test_import_export import (
    CSV_FORMAT,
    ORGANISATION_HEADER,
    csv_file,
    organisation_row,
)

pytestmark = pytest.mark.django_db


def staff_in(group_name: str):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def editor_client(client):
    client.force_login(staff_in(EDITORS))
    return client


@pytest.fixture
def viewer_client(client):
    client.force_login(staff_in(VIEWERS))
    return client


def codenames(group_name: str) -> set[str]:
    return set(Group.objects.get(name=group_name).permissions.values_list("codename", flat=True))


# The groups


def test_groups_exist_after_migrating_with_the_record_permissions():
    editors, viewers = codenames(EDITORS), codenames(VIEWERS)

    assert {"add_organisation", "change_conference", "delete_agreement"} <= editors
    assert {"view_historicalorganisation", "change_historicalorganisation"} <= editors
    assert {"view_organisation", "view_agreementparty", "view_historicalquote"} <= viewers
    assert all(codename.startswith("view_") for codename in viewers)


def test_groups_leave_users_groups_and_api_tokens_to_superusers():
    for group_name in (EDITORS, VIEWERS):
        permissions = Group.objects.get(name=group_name).permissions
        apps = set(permissions.values_list("content_type__app_label", flat=True))
        portal = set(
            permissions.filter(content_type__app_label="portal").values_list(
                "content_type__model", flat=True
            )
        )
        assert apps == {"members", "conferences", "agreements", "portal"}
        assert portal == {"page", "historicalpage"}  # the pages staff write, not API tokens


def test_ensure_groups_is_idempotent_and_restores_a_removed_permission():
    before = {name: codenames(name) for name in (EDITORS, VIEWERS)}
    editors = Group.objects.get(name=EDITORS)
    editors.permissions.remove(Permission.objects.get(codename="change_organisation"))
    editors.permissions.add(Permission.objects.get(codename="add_user"))  # not the role's

    out = io.StringIO()
    call_command("ensure_groups", stdout=out)
    call_command("ensure_groups", stdout=out)

    assert {name: codenames(name) for name in (EDITORS, VIEWERS)} == before
    assert Group.objects.filter(name__in=[EDITORS, VIEWERS]).count() == 2
    assert f"{EDITORS}: {len(before[EDITORS])} permissions" in out.getvalue()


def test_ensure_groups_covers_a_model_whose_permissions_are_missing():
    # As for a model added after the groups were made: its permissions do not exist yet.
    Permission.objects.filter(codename__endswith="_award").delete()

    ensure_staff_groups()

    assert {"add_award", "change_award", "delete_award", "view_award"} <= codenames(EDITORS)
    assert "view_award" in codenames(VIEWERS)


# Editors


def test_editor_changes_an_organisation(editor_client):
    organisation = OrganisationFactory(city="Lund")
    url = reverse("admin:members_organisation_change", args=[organisation.pk])

    response = editor_client.post(url, organisation_form(organisation, city="Malmö"))

    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.city == "Malmö"


def test_editor_can_import_and_sees_the_buttons(editor_client):
    changelist = editor_client.get(reverse("admin:members_organisation_changelist"))
    response = editor_client.post(
        reverse("admin:members_organisation_import"),
        {
            "format": CSV_FORMAT,
            "resource": "0",
            "import_file": csv_file(ORGANISATION_HEADER, [organisation_row()]),
        },
    )

    assert reverse("admin:members_organisation_add") in changelist.text
    assert reverse("admin:members_organisation_import") in changelist.text
    assert reverse("admin:members_organisation_export") in changelist.text
    assert "Confirm import" in response.text


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:auth_user_changelist",
        "admin:auth_user_add",
        "admin:auth_group_changelist",
        "admin:portal_apitoken_changelist",
        "admin:portal_apitoken_add",
    ],
)
def test_editor_cannot_open_users_groups_or_api_tokens(editor_client, url_name):
    response = editor_client.get(reverse(url_name))

    assert response.status_code == 403


def test_editor_admin_index_lists_records_but_not_users(editor_client):
    response = editor_client.get(reverse("admin:index"))

    assert "Organisations" in response.text
    assert "Agreements" in response.text
    assert reverse("admin:auth_user_changelist") not in response.text
    assert reverse("admin:portal_apitoken_changelist") not in response.text


# Viewers


def test_viewer_sees_the_changelist_without_add_or_import(viewer_client):
    OrganisationFactory(name="Visible Park")

    response = viewer_client.get(reverse("admin:members_organisation_changelist"))

    assert response.status_code == 200
    assert "Visible Park" in response.text
    assert reverse("admin:members_organisation_add") not in response.text
    assert reverse("admin:members_organisation_import") not in response.text
    assert 'name="action"' not in response.text  # no bulk delete


def test_viewer_sees_the_change_form_read_only(viewer_client):
    organisation = OrganisationFactory(city="Lund")

    response = viewer_client.get(
        reverse("admin:members_organisation_change", args=[organisation.pk])
    )

    assert response.status_code == 200
    assert "Lund" in response.text
    assert 'name="city"' not in response.text
    assert 'name="_save"' not in response.text
    assert "Close" in response.text


def test_viewer_cannot_save_a_change(viewer_client):
    organisation = OrganisationFactory(city="Lund")
    url = reverse("admin:members_organisation_change", args=[organisation.pk])

    response = viewer_client.post(url, organisation_form(organisation, city="Malmö"))

    assert response.status_code == 403
    organisation.refresh_from_db()
    assert organisation.city == "Lund"


@pytest.mark.parametrize("view", ["add", "import"])
def test_viewer_cannot_add_or_import(viewer_client, view):
    response = viewer_client.get(reverse(f"admin:members_organisation_{view}"))

    assert response.status_code == 403


def test_viewer_cannot_delete(viewer_client):
    organisation = OrganisationFactory()
    url = reverse("admin:members_organisation_delete", args=[organisation.pk])

    response = viewer_client.post(url, {"post": "yes"})

    assert response.status_code == 403
    assert Organisation.objects.filter(pk=organisation.pk).exists()


def test_viewer_reads_the_history_but_cannot_revert(viewer_client):
    organisation = OrganisationFactory(city="Lund")
    organisation.city = "Malmö"
    organisation.save()
    first = organisation.history.last()
    revert_url = reverse(
        "admin:members_organisation_simple_history", args=[organisation.pk, first.history_id]
    )

    history = viewer_client.get(
        reverse("admin:members_organisation_history", args=[organisation.pk])
    )
    form = viewer_client.get(revert_url)
    posted = viewer_client.post(revert_url, organisation_form(organisation, city="Lund"))

    assert history.status_code == 200
    assert "Malmö" in history.text
    assert form.status_code == 200
    assert "Revert" not in form.text
    assert posted.status_code == 403
    organisation.refresh_from_db()
    assert organisation.city == "Malmö"


def test_viewer_may_export(viewer_client):
    OrganisationFactory(slug="cmu-step")

    response = viewer_client.post(
        reverse("admin:members_organisation_export"),
        {"format": CSV_FORMAT, "resource": "0", "organisationresource_slug": "on"},
    )

    assert response.status_code == 200
    assert response.content.decode("utf-8-sig").split() == ["slug", "cmu-step"]


# Admin access follows the role


PASSWORD = "correct horse battery staple"  # the factories' password


def log_in(client, username: str):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": PASSWORD, "next": reverse("admin:index")},
        REMOTE_ADDR="198.51.100.7",
    )


@pytest.mark.parametrize("role", [VIEWERS, EDITORS])
def test_role_group_alone_opens_the_admin(client, role):
    user = UserFactory(username="newcomer", is_staff=False)
    user.groups.add(Group.objects.get(name=role))

    response = log_in(client, "newcomer")
    index = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response.url == reverse("admin:index")
    assert "Organisations" in index.text
    assert "What needs attention" in index.text


@override_settings(AXES_ENABLED=True)
def test_right_password_without_a_role_is_told_so_and_not_counted(client):
    user = UserFactory(username="newcomer", is_staff=True)  # staff status, but no role

    refused = [log_in(client, "newcomer") for _attempt in range(6)]
    user.groups.add(Group.objects.get(name=VIEWERS))
    admitted = log_in(client, "newcomer")

    for response in refused:
        assert response.status_code == 200
        assert "has no access to the staff admin" in response.text
        assert "Editors or Viewers role" in response.text
        assert "Please enter the correct username and password" not in response.text
    assert not AccessAttempt.objects.filter(username="newcomer", failures_since_start__gt=0)
    assert admitted.status_code == 302
    assert admitted.url == reverse("admin:index")


def test_staff_status_without_a_role_does_not_open_the_admin(client):
    client.force_login(UserFactory(is_staff=True))

    response = client.get(reverse("admin:members_organisation_changelist"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_inactive_role_member_cannot_log_in(client):
    user = UserFactory(username="gone", is_active=False)
    user.groups.add(Group.objects.get(name=EDITORS))

    response = log_in(client, "gone")

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def user_form(user, **changes) -> dict:
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "groups": [group.pk for group in user.groups.all()],
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
    }
    data.update(changes)
    return data


def test_user_admin_sets_staff_status_from_the_role(staff_client):
    user = UserFactory(username="newcomer", is_staff=False)
    url = reverse("admin:auth_user_change", args=[user.pk])
    viewers = Group.objects.get(name=VIEWERS)

    form = staff_client.get(url)
    given = staff_client.post(url, user_form(user, groups=[viewers.pk]))
    user.refresh_from_db()
    had_it = user.is_staff
    taken = staff_client.post(url, user_form(user, groups=[]))
    user.refresh_from_db()

    assert 'name="is_staff"' not in form.text
    assert "No: give the Editors or Viewers role to open the admin" in form.text
    assert given.status_code == taken.status_code == 302
    assert had_it is True
    assert user.is_staff is False


def test_user_admin_ignores_a_posted_staff_status(staff_client):
    user = UserFactory(username="newcomer", is_staff=False)
    url = reverse("admin:auth_user_change", args=[user.pk])

    response = staff_client.post(url, user_form(user, is_staff="on"))

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.is_staff is False


def test_user_admin_lists_each_users_roles(staff_client):
    user = UserFactory(username="newcomer")
    user.groups.add(Group.objects.get(name=EDITORS))

    response = staff_client.get(reverse("admin:auth_user_changelist"))

    row = response.text.split("newcomer</a>")[1].split("</tr>")[0]
    assert "Editors" in row


def test_editor_cannot_open_or_change_a_user(editor_client):
    user = UserFactory(username="newcomer")
    url = reverse("admin:auth_user_change", args=[user.pk])

    response = editor_client.post(url, user_form(user, is_superuser="on"))

    assert response.status_code == 403
    user.refresh_from_db()
    assert user.is_superuser is False


@pytest.mark.parametrize("count", [1, 5])
def test_user_list_query_count_is_fixed(staff_client, django_assert_num_queries, count):
    editors = Group.objects.get(name=EDITORS)
    for _index in range(count):
        UserFactory().groups.add(editors)

    with django_assert_num_queries(7):
        response = staff_client.get(reverse("admin:auth_user_changelist"))

    assert response.text.count('<td class="field-roles">Editors</td>') == count
