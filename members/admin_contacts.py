"""The members' area in the staff admin: invitations (sending one is the only way to make a
contact) and the contacts they made. Every write goes through members/services/contacts.py."""

from allauth.account.admin import EmailAddressAdmin
from allauth.account.models import EmailAddress
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin import HistoryAdmin

from .models import Contact, Invitation
from .services import invite_member, remove_contact, resend_invitation, revoke_invitation


class InvitationStateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("open", _("open")),
            ("accepted", _("accepted")),
            ("expired", _("expired")),
            ("revoked", _("revoked")),
        ]

    def queryset(self, request, queryset):
        now = timezone.now()
        match self.value():
            case "open":
                return queryset.usable()
            case "accepted":
                return queryset.filter(accepted_at__isnull=False)
            case "revoked":
                return queryset.filter(accepted_at__isnull=True, revoked_at__isnull=False)
            case "expired":
                return queryset.filter(
                    accepted_at__isnull=True, revoked_at__isnull=True, expires_at__lte=now
                )
        return queryset


STATE_NAMES = {
    "open": _("open"),
    "accepted": _("accepted"),
    "expired": _("expired"),
    "revoked": _("revoked"),
}


@admin.register(Invitation)
class InvitationAdmin(HistoryAdmin):
    list_display = [
        "email",
        "organisation",
        "person",
        "state",
        "expires_at",
        "invited_by",
        "created",
    ]
    list_filter = [InvitationStateFilter, "created"]
    list_select_related = ["organisation", "person", "invited_by"]
    search_fields = ["email", "organisation__name", "person__name"]
    autocomplete_fields = ["organisation", "person"]
    date_hierarchy = "created"
    actions = ["resend", "revoke"]
    sent_fields = [
        "email",
        "organisation",
        "person",
        "state",
        "expires_at",
        "invited_by",
        "created",
        "accepted_at",
        "accepted_by",
        "revoked_at",
    ]

    @admin.display(description=_("state"))
    def state(self, invitation: Invitation) -> str:
        return STATE_NAMES[invitation.state]

    def get_fields(self, request: HttpRequest, obj=None) -> list[str]:
        return self.sent_fields if obj else ["email", "organisation", "person"]

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> list[str]:
        # Once sent, an invitation is what its e-mail said: resend or revoke it instead.
        return self.sent_fields if obj else []

    def revert_disabled(self, request: HttpRequest, obj=None) -> bool:
        return True

    def save_model(self, request, obj, form, change):
        if change:
            return  # nothing on a sent invitation is edited here
        invitation, _token = invite_member(
            email=obj.email,
            organisation=obj.organisation,
            person=obj.person,
            invited_by=request.user,
        )
        obj.pk = invitation.pk
        obj.token_hash = invitation.token_hash
        obj.expires_at = invitation.expires_at
        obj.invited_by = invitation.invited_by
        obj._state.adding = False
        self.message_user(
            request,
            _("The invitation is on its way to %(email)s.") % {"email": invitation.email},
            messages.SUCCESS,
        )

    @admin.action(permissions=["change"], description=_("Send the selected invitations again"))
    def resend(self, request: HttpRequest, queryset: QuerySet[Invitation]) -> None:
        sent = 0
        for invitation in queryset.filter(accepted_at__isnull=True):
            try:
                resend_invitation(invitation=invitation, resent_by=request.user)
            except ValidationError:
                continue
            sent += 1
        self.message_user(
            request,
            ngettext(
                "%d invitation sent again with a new link.",
                "%d invitations sent again with new links.",
                sent,
            )
            % sent,
            messages.SUCCESS,
        )

    @admin.action(permissions=["change"], description=_("Revoke the selected invitations"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[Invitation]) -> None:
        invitations = list(queryset.usable())
        for invitation in invitations:
            revoke_invitation(invitation=invitation, revoked_by=request.user)
        self.message_user(
            request,
            ngettext("%d invitation revoked.", "%d invitations revoked.", len(invitations))
            % len(invitations),
            messages.SUCCESS,
        )


@admin.register(Contact)
class ContactAdmin(HistoryAdmin):
    list_display = ["email", "organisation", "name", "invited_by", "created"]
    list_filter = ["created"]
    list_select_related = ["organisation", "user", "invited_by"]
    search_fields = ["organisation__name", "user__email", "user__first_name", "user__last_name"]
    fields = ["organisation", "user", "email", "name", "invited_by", "created"]
    readonly_fields = fields

    @admin.display(description=_("e-mail"), ordering="user__email")
    def email(self, contact: Contact) -> str:
        return contact.user.email

    @admin.display(description=_("name"), ordering="user__last_name")
    def name(self, contact: Contact) -> str:
        return contact.user.get_full_name()

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # a contact comes from an accepted invitation

    def revert_disabled(self, request: HttpRequest, obj=None) -> bool:
        return True

    def delete_model(self, request: HttpRequest, obj: Contact) -> None:
        remove_contact(contact=obj, removed_by=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Contact]) -> None:
        for contact in queryset:
            remove_contact(contact=contact, removed_by=request.user)


# django-allauth's admin of sign-in addresses, its bulk action declaring the permission it needs
# (as every action here does): marking an address verified changes it.
if admin.site.is_registered(EmailAddress):
    admin.site.unregister(EmailAddress)


@admin.register(EmailAddress)
class SignInAddressAdmin(EmailAddressAdmin):
    list_select_related = ["user"]

    @admin.action(permissions=["change"], description=_("Mark the selected addresses as verified"))
    def make_verified(self, request: HttpRequest, queryset: QuerySet[EmailAddress]) -> None:
        super().make_verified(request, queryset)
