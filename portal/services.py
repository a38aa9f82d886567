import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from core.changes import records_changed
from core.db.writes import set_fields
from core.rest.authentication import hash_key
from members.models import Organisation

from .models import ApiToken, Page, new_key
from .navigation import forget_navigation


@transaction.atomic
def issue_api_token(
    *,
    name: str,
    access: str = ApiToken.Access.READ,
    organisation: Organisation | None = None,
    user: AbstractBaseUser | None = None,
    expires_at: datetime.datetime | None = None,
    created_by: AbstractBaseUser | None = None,
    token: ApiToken | None = None,
) -> tuple[ApiToken, str]:
    """Save a new token; return it with its key, which is not stored and cannot be shown again."""
    key = new_key()
    token = token or ApiToken()
    token.name = name
    token.access = access
    token.organisation = organisation
    token.user = user
    token.expires_at = expires_at
    token.created_by = created_by
    token.prefix = key[:12]
    token.key_hash = hash_key(key)
    token.full_clean()
    token.save()
    return token, key


def revoke_api_token(*, token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])


# What the services may set on a page besides its title and slug.
PAGE_FIELDS = frozenset(
    {"summary", "body", "is_published", "in_menu", "in_footer", "link_text", "order"}
)


def _page_changed() -> None:
    # The change clock watches the record apps' saves, not the portal's; the menu and footer
    # of every cached page show the pages, so every cached page is now stale.
    records_changed()
    forget_navigation()


@transaction.atomic
def create_page(
    *,
    title: str,
    slug: str,
    changed_by: AbstractBaseUser | None = None,
    page: Page | None = None,
    **fields: object,
) -> Page:
    """Save a new page; `fields` are any others of PAGE_FIELDS. `page` is an unsaved one to
    fill (the admin's form)."""
    page = page or Page()
    page.title = title
    page.slug = slug
    set_fields(page, fields, allowed=PAGE_FIELDS)
    return _save_page(page, changed_by)


@transaction.atomic
def update_page(*, page: Page, changed_by: AbstractBaseUser | None = None, **changes) -> Page:
    """Change the given fields (`title`, `slug` or any of PAGE_FIELDS); the rest stays."""
    set_fields(page, changes, allowed=PAGE_FIELDS | {"title", "slug"})
    return _save_page(page, changed_by)


def _save_page(page: Page, changed_by: AbstractBaseUser | None) -> Page:
    page.full_clean()
    if changed_by is not None:
        page._history_user = changed_by
    page.save()
    _page_changed()
    return page


@transaction.atomic
def delete_page(*, page: Page, changed_by: AbstractBaseUser | None = None) -> None:
    if changed_by is not None:
        page._history_user = changed_by
    page.delete()
    _page_changed()
