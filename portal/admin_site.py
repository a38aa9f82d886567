"""The staff admin: who may enter, what the login page tells them, and how the menu reads.

Django's admin lets in only users with "staff status"; here the role groups decide
(`portal.roles.has_admin_access`), so giving someone the Editors or Viewers group is enough.
"""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .roles import has_admin_access


class StaffLoginForm(AdminAuthenticationForm):
    """The admin's login form: a right password without a role is told so, not refused as
    wrong (and so not counted as a failed login)."""

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "no_admin_access": _(
            "Your password is right, but your account has no access to the staff admin. "
            "Ask an administrator to give you the Editors or Viewers role."
        ),
    }

    def confirm_login_allowed(self, user) -> None:
        AuthenticationForm.confirm_login_allowed(self, user)  # refuses inactive accounts
        if not has_admin_access(user):
            raise forms.ValidationError(
                self.error_messages["no_admin_access"], code="no_admin_access"
            )


# The menu's sections, in this order, each with its models in this order (and a name where the
# model's own would be unclear out of its app). A model not listed keeps its app's own section,
# after these.
SECTIONS: list[tuple[str, str, list[tuple[str, str] | tuple[str, str, str]]]] = [
    (
        "conferences",
        _("Conferences and programme"),
        [
            ("conferences", "Conference"),
            ("conferences", "Session"),
            ("conferences", "Decision"),
            ("conferences", "Award"),
            ("conferences", "Quote"),
        ],
    ),
    (
        "members",
        _("Members and people"),
        [
            ("members", "Organisation"),
            ("members", "Membership"),
            ("members", "Person"),
            ("members", "Office"),
            ("members", "Division"),
            ("members", "Topic"),
            ("members", "Proposal", _("Proposals from members")),
        ],
    ),
    (
        "members_area",
        _("Members' area"),
        [
            ("members", "Invitation"),
            ("members", "Contact", _("Member contacts")),
            ("members", "Proposal"),
            ("account", "EmailAddress", _("Sign-in e-mail addresses")),
        ],
    ),
    ("agreements", _("Cooperation agreements"), [("agreements", "Agreement")]),
    ("pages", _("Website pages"), [("portal", "Page")]),
    (
        "accounts",
        _("Staff accounts and partner access"),
        [
            ("auth", "User"),
            ("auth", "Group"),
            ("portal", "ApiToken"),
            ("portal", "WebhookSubscription"),
            ("portal", "WebhookDelivery", _("Webhook delivery log")),
        ],
    ),
    (
        "technical",
        _("Technical"),
        [
            ("conferences", "ConferenceHost", _("Conference hosts")),
            ("conferences", "Appearance", _("Appearances in sessions")),
            ("agreements", "AgreementParty", _("Agreement parties")),
            ("axes", "AccessAttempt", _("Failed logins by user name and address")),
            ("axes", "AccessFailureLog", _("Failed login log")),
            ("axes", "AccessLog", _("Login log")),
            ("django_tasks_database", "DBTaskResult", _("Queued tasks (e-mail, webhooks)")),
        ],
    ),
]


def menu_name(model) -> str:
    """The name the menu gives a model's list."""
    key = (model._meta.app_label, model._meta.object_name)
    for _section, _name, entries in SECTIONS:
        for app_label, object_name, *label in entries:
            if (app_label, object_name) == key and label:
                return str(label[0])
    return capfirst(model._meta.verbose_name_plural)


class StaffAdminSite(admin.AdminSite):
    site_header = f"{settings.ASSOCIATION_SHORT_NAME} · {settings.SITE_NAME}"
    site_title = settings.SITE_NAME
    index_title = _("What needs attention")
    login_form = StaffLoginForm

    def has_permission(self, request: HttpRequest) -> bool:
        return has_admin_access(request.user)

    def get_app_list(self, request: HttpRequest, app_label: str | None = None) -> list[dict]:
        """The menu in sections named for staff; an app's own page keeps its app."""
        if app_label is not None:
            return super().get_app_list(request, app_label)
        app_dict = self._build_app_dict(request)
        by_key = {
            (app["app_label"], model["object_name"]): (app, model)
            for app in app_dict.values()
            for model in app["models"]
        }
        sections = []
        for section_label, name, entries in SECTIONS:
            found = []
            for app_label_, object_name, *label in entries:
                if (app_label_, object_name) in by_key:
                    _app, model = by_key.pop((app_label_, object_name))
                    found.append((_app, {**model, "name": label[0]} if label else model))
            if not found:
                continue
            sections.append(
                {
                    "name": name,
                    "app_label": section_label,
                    "app_url": "",
                    "has_module_perms": True,
                    "models": [model for _app, model in found],
                }
            )
        # Whatever the sections leave out keeps its app's section.
        rest: dict[str, dict] = {}
        for app, model in by_key.values():
            rest.setdefault(app["app_label"], {**app, "models": []})["models"].append(model)
        for app in sorted(rest.values(), key=lambda app: str(app["name"]).lower()):
            app["models"].sort(key=lambda model: model["name"])
            sections.append(app)
        return sections

    def index(self, request: HttpRequest, extra_context: dict | None = None) -> TemplateResponse:
        # The dashboard reads the apps' admin filters, which register on this site.
        from .dashboard import dashboard_panels

        context = {"dashboard_panels": dashboard_panels(request), **(extra_context or {})}
        return super().index(request, extra_context=context)
