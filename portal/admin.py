from axes.admin import AccessAttemptAdmin
from django.conf import settings
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import ApiToken
from .services import issue_api_token, revoke_api_token

admin.site.site_header = f"{settings.ASSOCIATION_SHORT_NAME} · {settings.SITE_NAME}"
admin.site.site_title = settings.SITE_NAME
admin.site.index_title = "Records"

# django-axes's clean-up of expired login attempts declares no permission, so the admin would
# offer it to anyone who sees the list: it deletes attempts, so it takes the delete permission.
AccessAttemptAdmin.cleanup_expired_attempts.allowed_permissions = ("delete",)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "prefix",
        "access",
        "organisation",
        "user",
        "expires_at",
        "last_used_at",
        "state",
    ]
    list_filter = ["access", "expires_at", "revoked_at"]
    list_select_related = ["organisation", "user"]
    search_fields = ["name", "prefix", "organisation__name", "user__username"]
    autocomplete_fields = ["organisation", "user"]
    readonly_fields = ["prefix", "created", "created_by", "last_used_at", "revoked_at"]
    fields = [
        "name",
        "access",
        "organisation",
        "user",
        "expires_at",
        "prefix",
        "created",
        "created_by",
        "last_used_at",
        "revoked_at",
    ]
    actions = ["revoke"]

    @admin.display(description=_("state"))
    def state(self, token: ApiToken) -> str:
        if token.revoked_at:
            return _("revoked")
        if token.is_expired:
            return _("expired")
        return _("usable")

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        _token, key = issue_api_token(
            token=obj,
            name=obj.name,
            access=obj.access,
            organisation=obj.organisation,
            user=obj.user,
            expires_at=obj.expires_at,
            created_by=request.user,
        )
        self.message_user(
            request,
            _(
                "The token's key is %(key)s. Copy it now: it is not stored and cannot be shown "
                "again."
            )
            % {"key": key},
            messages.WARNING,
        )

    @admin.action(permissions=["change"], description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        tokens = list(queryset.filter(revoked_at__isnull=True))
        for token in tokens:
            revoke_api_token(token=token)
        self.message_user(
            request,
            ngettext("%d token revoked.", "%d tokens revoked.", len(tokens)) % len(tokens),
            messages.SUCCESS,
        )
