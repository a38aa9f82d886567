from axes.admin import AccessAttemptAdmin
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin import HistoryAdmin, TolerantAutocompleteMixin

from .models import ApiToken, Page
from .roles import ROLES, sync_staff_status
from .services import create_page, delete_page, issue_api_token, revoke_api_token, update_page

# django-axes's clean-up of expired login attempts declares no permission, so the admin would
# offer it to anyone who sees the list: it deletes attempts, so it takes the delete permission.
AccessAttemptAdmin.cleanup_expired_attempts.allowed_permissions = ("delete",)


@admin.register(ApiToken)
class ApiTokenAdmin(TolerantAutocompleteMixin, admin.ModelAdmin):
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


@admin.register(Page)
class PageAdmin(HistoryAdmin):
    list_display = [
        "title",
        "slug",
        "is_published",
        "in_menu",
        "in_footer",
        "order",
        "modified",
        "preview",
    ]
    list_filter = ["is_published", "in_menu", "in_footer"]
    search_fields = ["title", "slug", "summary", "body"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["preview", "created", "modified"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "body"]}),
        (_("Publishing"), {"fields": ["is_published", "preview"]}),
        (
            _("Links to the page"),
            {
                "fields": ["in_menu", "in_footer", "link_text", "order"],
                "description": _(
                    "Where visitors find the page: the main menu, the footer, or both."
                ),
            },
        ),
        (_("Dates"), {"fields": ["created", "modified"]}),
    ]

    @admin.display(description=_("on the site"))
    def preview(self, page: Page) -> str:
        if page.pk is None:
            return ""
        label = _("View the page") if page.is_published else _("Preview the draft")
        return format_html('<a href="{}">{}</a>', page.get_absolute_url(), label)

    # Every write goes through the services: they keep the history and move the change clock.
    def save_model(self, request, obj, form, change):
        if change:
            update_page(page=obj, changed_by=request.user)
        else:
            create_page(page=obj, title=obj.title, slug=obj.slug, changed_by=request.user)

    def delete_model(self, request, obj):
        delete_page(page=obj, changed_by=request.user)

    def delete_queryset(self, request, queryset):
        for page in queryset:
            delete_page(page=page, changed_by=request.user)


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    """Staff accounts: the role groups give access to the admin; "staff status" follows them.

    No checkbox can leave a role member locked out of the admin, or let in someone without a
    role to an empty one: `sync_staff_status` sets it from the groups on every save.
    """

    list_display = ["username", "email", "first_name", "last_name", "roles", "is_active"]
    list_filter = ["groups", "is_active", "is_superuser"]
    readonly_fields = ["admin_access", "last_login", "date_joined"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Personal info"), {"fields": ["first_name", "last_name", "email"]}),
        (
            _("Role and access"),
            {
                "fields": ["is_active", "groups", "admin_access", "is_superuser"],
                "description": _(
                    "Editors change every record; Viewers read them. Either role opens the "
                    "admin. Superusers can do everything, including managing users and API "
                    "tokens."
                ),
            },
        ),
        (_("Single permissions"), {"classes": ["collapse"], "fields": ["user_permissions"]}),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description=_("roles"))
    def roles(self, user) -> str:
        names = sorted(group.name for group in user.groups.all() if group.name in ROLES)
        if user.is_superuser:
            names.insert(0, str(_("Superuser")))
        return ", ".join(names) or "—"

    @admin.display(description=_("admin access"))
    def admin_access(self, user) -> str:
        if user.is_superuser:
            return _("Yes, as a superuser")
        names = sorted(group.name for group in user.groups.all() if group.name in ROLES)
        if names:
            return _("Yes, as %(roles)s") % {"roles": ", ".join(names)}
        return _("No: give the Editors or Viewers role to open the admin")

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        sync_staff_status(user=form.instance)


# Webhook subscriptions and their delivery log: their admin lives with their code.
from .webhooks import admin as webhooks_admin  # noqa: E402, F401
