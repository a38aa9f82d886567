"""The links to staff-written pages in every page's main menu and footer.

One query builds them, and the cache keeps them until a page is saved or deleted: the page
services forget them at once and again when the transaction is committed (a page built in
between may have read the links as they were). Cached pages are rebuilt too, as the
services move the change clock. While the cache does not answer, each page asks the
database; once it answers again, the links kept before are forgotten, as a save made
meanwhile could not forget them.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils.functional import SimpleLazyObject

from core.cache import on_recovery, safe_get, safe_set, warn_once
from core.db.prepared import PreparedRows

from .models import Page, page_url

CACHE_KEY = "portal:navigation"


@dataclass(frozen=True)
class PageLink:
    label: str
    url: str


@dataclass(frozen=True)
class Navigation:
    menu: tuple[PageLink, ...]
    footer: tuple[PageLink, ...]


NO_PAGES = Navigation(menu=(), footer=())


# The query of every page not served from the cache: compiled once (core/db/prepared.py).
_LINKED_PAGES = PreparedRows(
    lambda: Page.objects.for_navigation().values(
        "slug", "title", "link_text", "in_menu", "in_footer"
    )
)


def build_navigation() -> Navigation:
    links = [
        (PageLink(row["link_text"] or row["title"], page_url(row["slug"])), row)
        for row in _LINKED_PAGES.rows()
    ]
    return Navigation(
        menu=tuple(link for link, row in links if row["in_menu"]),
        footer=tuple(link for link, row in links if row["in_footer"]),
    )


def navigation() -> Navigation:
    if not settings.PAGE_CACHE_SECONDS:
        return build_navigation()
    found = safe_get(CACHE_KEY)
    if found is None:
        found = build_navigation()
        safe_set(CACHE_KEY, found, settings.PAGE_CACHE_SECONDS)
    return found


def _forget() -> None:
    if not safe_set(CACHE_KEY, None, settings.PAGE_CACHE_SECONDS or None):
        warn_once(
            "A page was saved, but the cached menu links could not be forgotten (the cache "
            "does not answer); they are when the cache answers again"
        )


def forget_navigation() -> None:
    """After a page is saved or deleted."""
    _forget()
    transaction.on_commit(_forget)


@on_recovery
def navigation_forgotten_after_an_outage() -> None:
    _forget()


def site_pages(request) -> dict:
    """Context processor: `site_pages.menu` and `site_pages.footer`, read only when shown
    (the admin's pages never read them)."""
    return {"site_pages": SimpleLazyObject(navigation)}
