"""The links to staff-written pages in every page's main menu and footer.

One query builds them, and the answer is kept in the cache under the change clock
(core/changes.py): a page saved or deleted through the services moves the clock, so the next
page shows the new links. While the cache does not answer, each page asks the database.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.functional import SimpleLazyObject

from core.cache import safe_get, safe_set
from core.changes import records_changed_at

from .models import Page

CACHE_KEY = "portal:navigation:{version}"


@dataclass(frozen=True)
class PageLink:
    label: str
    url: str


@dataclass(frozen=True)
class Navigation:
    menu: tuple[PageLink, ...]
    footer: tuple[PageLink, ...]


def build_navigation() -> Navigation:
    pages = list(Page.objects.for_navigation())
    return Navigation(
        menu=tuple(
            PageLink(page.link_label, page.get_absolute_url()) for page in pages if page.in_menu
        ),
        footer=tuple(
            PageLink(page.link_label, page.get_absolute_url()) for page in pages if page.in_footer
        ),
    )


def navigation() -> Navigation:
    key = CACHE_KEY.format(version=records_changed_at().timestamp())
    found = safe_get(key)
    if found is None:
        found = build_navigation()
        safe_set(key, found, max(settings.PAGE_CACHE_SECONDS, 60))
    return found


def site_pages(request) -> dict:
    """Context processor: `site_pages.menu` and `site_pages.footer`, read only when shown
    (the admin's pages never read them)."""
    return {"site_pages": SimpleLazyObject(navigation)}
