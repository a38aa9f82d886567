"""Pages staff write themselves: the public page, its draft preview, the links to it in the menu
and footer, the sanitised Markdown, the admin and the services behind it."""

import re

import pytest
import redis
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import cache as core_cache
from core.changes import records_changed_at
from portal.models import Page
from portal.navigation import navigation
from portal.rendering import render_markdown
from portal.roles import EDITORS, VIEWERS
from portal.services import create_page, delete_page, update_page
from tests.factories import PageFactory, UserFactory

pytestmark = pytest.mark.django_db


def main_menu(html: str) -> list[str]:
    """The link texts of the main menu, as a visitor reads them."""
    nav = re.search(r'<nav class="site-nav" aria-label="Main">(.*?)</nav>', html, re.S).group(1)
    return re.findall(r"<a [^>]*>([^<]*)</a>", nav)


def footer_pages(html: str) -> list[tuple[str, str]]:
    """(href, text) of the footer's links to pages."""
    found = re.search(r'<nav aria-label="About the association">(.*?)</nav>', html, re.S)
    if not found:
        return []
    return re.findall(r'<a href="([^"]+)"[^>]*>([^<]*)</a>', found.group(1))


def refuse(*args, **kwargs):
    raise redis.exceptions.ConnectionError("Error 111 connecting to 127.0.0.1:6379")


def staff_in(group_name: str):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=group_name))
    return user


# The public page


def test_page_shows_its_title_summary_and_markdown_body(client):
    page = PageFactory(
        title="About the association",
        summary="Who we are.",
        body="# Our history\n\nFounded in **1984** by [parks](https://example.org).\n\n- one",
    )

    response = client.get(page.get_absolute_url())

    html = response.content.decode()
    assert response.status_code == 200
    assert '<h1 id="page-title">About the association</h1>' in html
    assert '<p class="lead">Who we are.</p>' in html
    assert '<h2 id="section-our-history">Our history</h2>' in html
    assert "Founded in <strong>1984</strong> by " in html
    assert '<a href="https://example.org" rel="noopener noreferrer">parks</a>' in html
    assert "<ul>\n<li>one</li>\n</ul>" in html
    assert "<title>About the association · " in html
    assert page.get_absolute_url() == f"/pages/{page.slug}/"


def test_unknown_page_is_not_found(client):
    response = client.get("/pages/no-such-page/")

    assert response.status_code == 404


HOSTILE_BODIES = [
    ("<script>alert(1)</script>Hello", ["<script", "alert(1)"]),
    ("[click](javascript:alert(1))", ["javascript:", "href"]),
    ("[click](JaVaScRiPt:alert(1))", ["javascript", "href"]),
    ("<a href='javascript:alert(1)'>x</a>", ["javascript:"]),
    ('<img src="x" onerror="alert(1)">', ["onerror", "alert(1)"]),
    ('<p onclick="steal()">text</p>', ["onclick", "steal()"]),
    ('<iframe src="https://example.org"></iframe>', ["<iframe"]),
    ("<style>body { display: none }</style>", ["<style", "display: none"]),
    ('<svg onload="alert(1)"></svg>', ["<svg", "onload"]),
    ("[data](data:text/html;base64,PHNjcmlwdD4=)", ["data:text"]),
    ('<form action="https://example.org"><input name="x"></form>', ["<form", "<input"]),
    ('<h2 id="main">Main</h2>', ['id="main"']),
]


@pytest.mark.parametrize(("body", "absent"), HOSTILE_BODIES, ids=[b for b, _ in HOSTILE_BODIES])
def test_page_body_keeps_no_script_handler_or_unsafe_link(client, body, absent):
    page = PageFactory(body=body)

    html = client.get(page.get_absolute_url()).content.decode()
    article = re.search(r'<div class="prose">(.*?)</div>', html, re.S).group(1)

    for text in absent:
        assert text.lower() not in article.lower()


def test_markdown_links_get_a_safe_rel_and_keep_safe_addresses():
    html = render_markdown(
        "[a](https://example.org) [b](mailto:info@example.org) [c](/pages/contact/) "
        '<a href="https://example.org" rel="opener" target="_blank">d</a>'
    )

    assert html == (
        '<p><a href="https://example.org" rel="noopener noreferrer">a</a> '
        '<a href="mailto:info@example.org" rel="noopener noreferrer">b</a> '
        '<a href="/pages/contact/" rel="noopener noreferrer">c</a> '
        '<a href="https://example.org" rel="noopener noreferrer">d</a></p>'
    )


def test_markdown_headings_start_below_the_page_title():
    assert render_markdown("# One\n\n## Two") == (
        '<h2 id="section-one">One</h2>\n<h3 id="section-two">Two</h3>'
    )


# Drafts


def test_draft_is_not_found_by_visitors_or_users_who_are_not_staff(client):
    page = PageFactory(title="Secret plans", is_published=False)

    assert client.get(page.get_absolute_url()).status_code == 404
    client.force_login(UserFactory())
    assert client.get(page.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("role", [EDITORS, VIEWERS, "superuser"])
def test_staff_preview_a_draft_marked_as_such_and_never_cached(client, role):
    page = PageFactory(title="Secret plans", is_published=False)
    user = UserFactory(is_staff=True, is_superuser=True) if role == "superuser" else staff_in(role)
    client.force_login(user)

    response = client.get(page.get_absolute_url())

    html = response.content.decode()
    assert response.status_code == 200
    assert '<h1 id="page-title">Secret plans</h1>' in html
    assert "Draft: only staff see this preview." in html
    assert '<meta name="robots" content="noindex">' in html
    assert "no-store" in response["Cache-Control"]


def test_published_page_has_no_draft_notice(client):
    page = PageFactory()

    html = client.get(page.get_absolute_url()).content.decode()

    assert "Draft:" not in html
    assert "noindex" not in html


# Menu and footer


def test_menu_and_footer_link_the_pages_staff_chose_in_their_order(client):
    PageFactory(
        title="Privacy notice", link_text="Privacy", slug="privacy", in_footer=True, order=9
    )
    PageFactory(title="About us", slug="about", in_menu=True, in_footer=True, order=1)
    PageFactory(title="Contact", slug="contact", in_footer=True, order=5)
    PageFactory(title="Join", slug="join", in_menu=True, in_footer=True, is_published=False)
    PageFactory(title="Unlinked", slug="unlinked")

    html = client.get("/").content.decode()

    assert main_menu(html)[-1] == "About us"
    assert "Join" not in main_menu(html)
    assert "Contact" not in main_menu(html)
    assert footer_pages(html) == [
        ("/pages/about/", "About us"),
        ("/pages/contact/", "Contact"),
        ("/pages/privacy/", "Privacy"),
    ]


def test_current_page_is_marked_in_the_menu(client):
    page = PageFactory(title="About us", slug="about", in_menu=True)

    html = client.get(page.get_absolute_url()).content.decode()

    assert '<a href="/pages/about/" aria-current="page">About us</a>' in html


def test_no_pages_means_no_footer_navigation(client):
    html = client.get("/").content.decode()

    assert footer_pages(html) == []
    assert 'aria-label="About the association"' not in html


def test_cached_pages_show_a_new_link_at_once(client):
    assert footer_pages(client.get("/").content.decode()) == []
    assert client.get("/")["X-Cache"] == "hit"

    page = create_page(title="Contact", slug="contact", is_published=True, in_footer=True)
    assert footer_pages(client.get("/").content.decode()) == [("/pages/contact/", "Contact")]

    update_page(page=page, link_text="Write to us")
    assert footer_pages(client.get("/").content.decode()) == [("/pages/contact/", "Write to us")]

    update_page(page=page, is_published=False)
    assert footer_pages(client.get("/").content.decode()) == []

    update_page(page=page, is_published=True)
    delete_page(page=page)
    assert footer_pages(client.get("/").content.decode()) == []


def test_navigation_is_one_query_then_cached(django_assert_num_queries):
    PageFactory(title="About", in_menu=True)
    PageFactory(title="Privacy", in_footer=True)

    with django_assert_num_queries(1):
        first = navigation()
    with django_assert_num_queries(0):
        second = navigation()

    assert [link.label for link in first.menu] == ["About"]
    assert [link.label for link in first.footer] == ["Privacy"]
    assert second == first


def test_admin_pages_never_read_the_navigation(staff_client):
    PageFactory(title="About", in_menu=True)
    staff_client.get(reverse("admin:index"))  # the session and permissions, once

    with CaptureQueriesContext(connection) as captured:
        response = staff_client.get(reverse("admin:index"))

    assert response.status_code == 200
    assert captured.captured_queries
    assert not [query for query in captured.captured_queries if "portal_page" in query["sql"]]


@pytest.mark.parametrize("linked", [1, 6])
def test_page_query_count_does_not_grow_with_the_links(client, django_assert_num_queries, linked):
    pages = [PageFactory(in_menu=True, in_footer=True) for _ in range(linked + 1)]

    # The page itself, and the links of the menu and footer, read again after the saves.
    with django_assert_num_queries(2):
        first = client.get(pages[0].get_absolute_url())
    # Another page: the links come from the cache.
    with django_assert_num_queries(1):
        second = client.get(pages[1].get_absolute_url())

    assert len(footer_pages(first.content.decode())) == linked + 1
    assert footer_pages(second.content.decode()) == footer_pages(first.content.decode())


def test_links_are_read_from_the_database_while_the_cache_does_not_answer(client, monkeypatch):
    PageFactory(title="About", slug="about", in_footer=True)
    core_cache.reset()
    for method in ("get", "set", "add", "get_many", "set_many"):
        monkeypatch.setattr(cache, method, refuse)

    response = client.get("/")

    core_cache.reset()
    assert response.status_code == 200
    assert footer_pages(response.content.decode()) == [("/pages/about/", "About")]


def test_a_page_saved_while_the_cache_was_away_is_linked_when_it_returns(monkeypatch):
    page = PageFactory(title="About", slug="about", in_footer=True)
    assert [link.label for link in navigation().footer] == ["About"]  # cached

    core_cache.reset()
    with monkeypatch.context() as away:  # a network blip: the cache keeps its data
        for method in ("get", "set", "add", "get_many", "set_many"):
            away.setattr(cache, method, refuse)
        update_page(page=page, link_text="Who we are")
    core_cache._outage["retry_at"] = 0.0

    assert [link.label for link in navigation().footer] == ["Who we are"]
    core_cache.reset()


# Services


def test_services_record_history_with_the_staff_member_and_move_the_clock(staff_user):
    before = records_changed_at()

    page = create_page(title="About", slug="about", body="Hello", changed_by=staff_user)
    after_create = records_changed_at()
    update_page(page=page, body="Hello again", changed_by=staff_user)
    after_update = records_changed_at()

    assert before < after_create < after_update
    history = list(page.history.order_by("history_date"))
    assert [(row.history_type, row.body, row.history_user) for row in history] == [
        ("+", "Hello", staff_user),
        ("~", "Hello again", staff_user),
    ]

    delete_page(page=page, changed_by=staff_user)
    assert records_changed_at() > after_update
    assert Page.history.filter(history_type="-", history_user=staff_user).count() == 1


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": "About\nus", "slug": "about"}, "title"),
        ({"title": "", "slug": "about"}, "title"),
        ({"title": "About", "slug": "not a slug"}, "slug"),
        ({"title": "About", "slug": "about", "summary": "Line\x00break"}, "summary"),
        ({"title": "About", "slug": "about", "link_text": "x" * 41}, "link_text"),
    ],
)
def test_services_refuse_bad_values_on_their_field(fields, field):
    with pytest.raises(ValidationError) as refused:
        create_page(**fields)

    assert field in refused.value.message_dict
    assert not Page.objects.exists()


def test_update_refuses_an_unknown_field():
    page = PageFactory()

    with pytest.raises(TypeError):
        update_page(page=page, created=None)


# Admin


def page_form(**changes) -> dict:
    data = {
        "title": "Join the association",
        "slug": "join",
        "summary": "How to become a member.",
        "body": "# Why join\n\nWrite to us.",
        "is_published": "on",
        "in_menu": "on",
        "link_text": "Join",
        "order": "2",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_editor_adds_a_page_in_the_admin_and_the_menu_shows_it(client):
    editor = staff_in(EDITORS)
    client.force_login(editor)
    assert "Join" not in main_menu(client.get("/").content.decode())

    response = client.post(reverse("admin:portal_page_add"), page_form())

    assert response.status_code == 302
    page = Page.objects.get(slug="join")
    assert page.history.get().history_user == editor
    client.logout()
    assert main_menu(client.get("/").content.decode())[-1] == "Join"


def test_editor_changes_and_deletes_a_page_through_the_services(client):
    editor = staff_in(EDITORS)
    page = PageFactory(title="Contact", slug="contact", in_footer=True)
    client.force_login(editor)

    client.post(
        reverse("admin:portal_page_change", args=[page.pk]),
        page_form(title="Contact us", slug="contact", in_menu=None, in_footer="on", link_text=""),
    )
    client.logout()
    assert footer_pages(client.get("/").content.decode()) == [("/pages/contact/", "Contact us")]
    client.force_login(editor)

    client.post(reverse("admin:portal_page_delete", args=[page.pk]), {"post": "yes"})

    assert not Page.objects.exists()
    assert [row.history_type for row in Page.history.order_by("history_date")] == ["+", "~", "-"]
    assert Page.history.latest("history_date").history_user == editor
    client.logout()
    assert footer_pages(client.get("/").content.decode()) == []


def test_bulk_delete_goes_through_the_services(staff_client):
    pages = [PageFactory(in_footer=True) for _ in range(2)]

    response = staff_client.post(
        reverse("admin:portal_page_changelist"),
        {"action": "delete_selected", "_selected_action": [p.pk for p in pages], "post": "yes"},
    )

    assert response.status_code == 302
    assert not Page.objects.exists()
    assert Page.history.filter(history_type="-").count() == 2


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": "Join\r\nus"}, "title"),
        ({"slug": "<script>"}, "slug"),
        ({"order": "-1"}, "order"),
        ({"order": "99999999"}, "order"),
        ({"summary": "x" * 301}, "summary"),
        ({"body": "nul\x00"}, "body"),
    ],
)
def test_admin_form_shows_field_errors_for_hostile_input(staff_client, changes, field):
    response = staff_client.post(reverse("admin:portal_page_add"), page_form(**changes))

    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    assert not Page.objects.exists()


def test_admin_list_links_each_page_and_its_preview(staff_client):
    PageFactory(title="About", slug="about")
    PageFactory(title="Draft plans", slug="plans", is_published=False)

    html = staff_client.get(reverse("admin:portal_page_changelist")).content.decode()

    assert '<a href="/pages/about/">View the page</a>' in html
    assert '<a href="/pages/plans/">Preview the draft</a>' in html


def test_viewer_cannot_add_or_change_a_page(client):
    page = PageFactory(title="About")
    client.force_login(staff_in(VIEWERS))

    added = client.post(reverse("admin:portal_page_add"), page_form())
    changed = client.post(
        reverse("admin:portal_page_change", args=[page.pk]), page_form(title="Hacked")
    )

    assert added.status_code == 403
    assert changed.status_code == 403
    page.refresh_from_db()
    assert page.title == "About"
    assert Page.objects.count() == 1


# Sitemap


def test_sitemap_lists_published_pages_only(client):
    PageFactory(slug="about")
    PageFactory(slug="plans", is_published=False)

    xml = client.get("/sitemap.xml").content.decode()

    assert "http://testserver/pages/about/" in xml
    assert "/pages/plans/" not in xml


def test_reverting_a_page_in_its_history_relinks_it_at_once(client, staff_client):
    page = PageFactory(title="Contact", slug="contact", link_text="Contact", in_footer=True)
    first = page.history.get()
    update_page(page=page, link_text="Write to us")
    assert footer_pages(client.get("/").content.decode()) == [("/pages/contact/", "Write to us")]

    response = staff_client.post(
        reverse("admin:portal_page_simple_history", args=[page.pk, first.history_id]),
        page_form(
            title="Contact", slug="contact", link_text="Contact", in_menu=None, in_footer="on"
        ),
    )

    assert response.status_code == 302
    assert footer_pages(client.get("/").content.decode()) == [("/pages/contact/", "Contact")]
    assert page.history.count() == 3
