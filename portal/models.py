import datetime
import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from model_utils.models import TimeStampedModel
from simple_history.models import HistoricalRecords

from core.routes import fast_reverse
from core.validators import validate_single_line

TOKEN_PREFIX = "spp_"

# Recording every request would write on every call; a minute's precision is enough.
LAST_USED_PRECISION = datetime.timedelta(minutes=1)


def new_key() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


class ApiTokenQuerySet(models.QuerySet):
    def usable(self) -> "ApiTokenQuerySet":
        return self.filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now()), revoked_at__isnull=True
        )


class ApiToken(models.Model):
    """A key a partner sends to the API. Only its hash is kept; the key is shown once."""

    class Access(models.TextChoices):
        READ = "read", _("Read public data (partner)")
        WRITE = "write", _("Read and write (staff)")

    name = models.CharField(
        _("name"), max_length=120, help_text=_("What it is for, e.g. “Website member map”.")
    )
    organisation = models.ForeignKey(
        "members.Organisation",
        verbose_name=_("owner organisation"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
        null=True,
        blank=True,
        help_text=_("The partner the token was issued to. Needed for a partner token."),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
        null=True,
        blank=True,
        help_text=_("A write token acts as this staff member, with their permissions."),
    )
    access = models.CharField(
        _("access"), max_length=10, choices=Access.choices, default=Access.READ
    )
    prefix = models.CharField(_("key starts with"), max_length=16, unique=True, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        constraints = [
            models.CheckConstraint(
                condition=Q(access="read", organisation__isnull=False)
                | Q(access="write", user__isnull=False),
                name="api_token_has_owner",
                violation_error_message=_(
                    "A partner token needs its owner organisation; a write token needs the "
                    "staff member it acts for."
                ),
            ),
            models.CheckConstraint(condition=~Q(name=""), name="api_token_name_not_blank"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def can_write(self) -> bool:
        return self.access == self.Access.WRITE

    def record_use(self) -> None:
        """Note when the token was last used, at most once a minute (a bookkeeping write)."""
        now = timezone.now()
        if self.last_used_at is None or now - self.last_used_at >= LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=self.pk).update(last_used_at=now)
            self.last_used_at = now


class PageQuerySet(models.QuerySet):
    def published(self) -> "PageQuerySet":
        """What visitors see: drafts stay with staff."""
        return self.filter(is_published=True)

    def for_navigation(self) -> "PageQuerySet":
        """The published pages linked from the main menu or the footer, in their order."""
        return (
            self.published()
            .filter(Q(in_menu=True) | Q(in_footer=True))
            .order_by("order", "title", "pk")
        )


MAX_ORDER = 999


def page_url(slug: str) -> str:
    """A staff-written page's address."""
    return fast_reverse("page-detail", slug=slug)


class Page(TimeStampedModel):
    """A page staff write themselves (About, Join the association, Contact, Privacy…)."""

    title = models.CharField(_("title"), max_length=120, validators=[validate_single_line])
    slug = models.SlugField(
        _("slug"),
        max_length=80,
        unique=True,
        help_text=_("The last part of the page’s address: /pages/<slug>/."),
    )
    summary = models.CharField(
        _("summary"),
        max_length=300,
        blank=True,
        validators=[validate_single_line],
        help_text=_("One or two sentences, shown in search results and link previews."),
    )
    body = models.TextField(
        _("body"),
        blank=True,
        help_text=_(
            "Markdown: # Section heading, **bold**, *italic*, "
            "[link text](https://example.org), lists with - or 1. "
            "HTML is not allowed and is removed."
        ),
    )
    is_published = models.BooleanField(
        _("published"),
        default=False,
        help_text=_("Visitors see published pages only; staff can preview a draft."),
    )
    in_menu = models.BooleanField(_("in the main menu"), default=False)
    in_footer = models.BooleanField(_("in the footer"), default=False)
    link_text = models.CharField(
        _("link text"),
        max_length=40,
        blank=True,
        validators=[validate_single_line],
        help_text=_("A shorter name for the menu and footer links; the title when empty."),
    )
    order = models.PositiveSmallIntegerField(
        _("order"),
        default=0,
        validators=[MaxValueValidator(MAX_ORDER)],
        help_text=_("Links are listed from the lowest number."),
    )

    objects = PageQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "title"]
        verbose_name = _("page")
        verbose_name_plural = _("pages")
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="page_title_not_blank"),
            models.CheckConstraint(condition=~Q(slug=""), name="page_slug_not_blank"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return page_url(self.slug)


# Webhook subscriptions and their delivery log live with the code that sends them.
from .webhooks.models import WebhookDelivery, WebhookSubscription  # noqa: E402, F401
