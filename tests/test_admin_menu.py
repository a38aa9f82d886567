"""The admin menu in staff's words: records in sections named for the work, the technical
tables apart, and one stylesheet that keeps every page within a 1280 px screen."""

import re
from html import unescape

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from portal.roles import EDITORS, VIEWERS
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def menu(html: str) -> dict[str, list[str]]:
    """Each section of the menu in `html`, with the names of its lists, in order."""
    sections = {}
    for block in re.findall(r'<div class="app-[\w-]+ module[^"]*">(.*?)</table>', html, re.S):
        name = unescape(re.search(r'class="section"[^>]*>([^<]+)<', block).group(1).strip())
        sections[name] = [
            label.strip()
            for label in re.findall(r'<th scope="row"[^>]*>\s*<a [^>]*>([^<]+)<', block)
        ]
    return sections


def role_client(client, role: str):
    user = UserFactory()
    user.groups.add(Group.objects.get(name=role))
    client.force_login(user)
    return client


def test_menu_sections_for_a_superuser(staff_client):
    sections = menu(staff_client.get(reverse("admin:index")).text)

    assert list(sections) == [
        "Conferences and programme",
        "Members and people",
        "Members' area",
        "Cooperation agreements",
        "Website pages",
        "Staff accounts and partner access",
        "Technical",
    ]
    assert sections["Conferences and programme"] == [
        "Conferences",
        "Sessions",
        "Decisions",
        "Awards",
        "Quotes",
    ]
    assert sections["Members and people"][:3] == ["Organisations", "Memberships", "People"]
    assert sections["Members' area"][:2] == ["Invitations", "Member contacts"]
    assert sections["Staff accounts and partner access"] == [
        "Users",
        "Groups",
        "API tokens",
        "Webhook subscriptions",
        "Webhook delivery log",
    ]
    assert sections["Technical"] == [
        "Conference hosts",
        "Appearances in sessions",
        "Agreement parties",
        "Failed logins by user name and address",
        "Failed login log",
        "Login log",
        "Queued tasks (e-mail, webhooks)",
    ]


@pytest.mark.parametrize("role", [EDITORS, VIEWERS])
def test_menu_of_a_role_holds_records_and_link_tables_only(client, role):
    sections = menu(role_client(client, role).get(reverse("admin:index")).text)

    assert "Staff accounts and partner access" not in sections
    assert "Portal" not in sections
    assert sections["Cooperation agreements"] == ["Agreements"]
    assert sections["Website pages"] == ["Pages"]
    assert sections["Technical"] == [
        "Conference hosts",
        "Appearances in sessions",
        "Agreement parties",
    ]


def test_menu_sidebar_of_a_list_page_uses_the_sections(staff_client):
    page = staff_client.get(reverse("admin:members_organisation_changelist")).text

    assert 'id="nav-sidebar"' in page
    assert "Conferences and programme" in page.split('id="nav-sidebar"')[1]
    assert 'aria-current="page">Organisations<' in page


def test_menu_app_page_lists_that_apps_records(staff_client):
    page = staff_client.get(reverse("admin:app_list", args=["conferences"])).text

    content = page.split('id="content-main"')[1]
    assert menu(content) == {
        "Conferences": [
            "Appearances",
            "Awards",
            "Conferences",
            "Decisions",
            "Hosts",
            "Quotes",
            "Sessions",
        ]
    }


@pytest.mark.parametrize(
    "url_name", ["admin:index", "admin:login", "admin:members_organisation_changelist"]
)
def test_admin_pages_load_the_staff_stylesheet(client, staff_user, url_name):
    if url_name != "admin:login":
        client.force_login(staff_user)

    page = client.get(reverse(url_name)).text

    assert 'href="/static/portal/admin.css"' in page
