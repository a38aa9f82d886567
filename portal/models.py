import datetime
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

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
