"""Accepting an invitation: the e-mailed link opens this page, which creates the account (or
asks the holder of an existing one to sign in) and makes the user a contact, once."""

import re

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model, login, password_validation
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.csrf import csrf_protect

from core.validators import validate_single_line
from members.models import Invitation
from members.services import accept_invitation, invitation_refusal
from members.services.contacts import account_exists, create_member_account

# What Invitation.new_token() makes; anything else is not looked up at all.
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{16,128}")
ALLAUTH_BACKEND = "allauth.account.auth_backends.AuthenticationBackend"


class AccountForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Your name"),
        max_length=150,
        validators=[validate_single_line],
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    password1 = forms.CharField(
        label=gettext_lazy("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html,
    )
    password2 = forms.CharField(
        label=gettext_lazy("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise ValidationError(_("Enter your name."), code="required")
        return name

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif first:
            name = cleaned.get("name", "")
            candidate = get_user_model()(email=self.email, first_name=name)
            try:
                password_validation.validate_password(first, user=candidate)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned


def signed_in_as_invited(user, email: str) -> bool:
    if not user.is_authenticated:
        return False
    if (user.email or "").lower() == email.lower():
        return True
    return user.emailaddress_set.filter(email__iexact=email, verified=True).exists()


@method_decorator(csrf_protect, name="dispatch")
class InvitationView(View):
    """/account/invitation/<token>/: 404 for a token never issued, 410 for one used, expired or
    withdrawn; otherwise the way in that fits who opens it."""

    template_name = "members_area/invitation.html"

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        token = kwargs["token"]
        invitation = None
        if TOKEN_PATTERN.fullmatch(token):
            invitation = (
                Invitation.objects.by_token(token)
                .select_related("organisation", "person", "invited_by")
                .first()
            )
        if invitation is None:
            response = self.refused(
                request,
                _("This invitation link is not valid. Check that it was copied whole."),
                404,
            )
        elif refusal := invitation_refusal(invitation):
            response = self.refused(request, refusal.messages[0], 410)
        else:
            self.invitation = invitation
            response = super().dispatch(request, *args, **kwargs)
        # The token is in the address: never cached, never passed on to another site.
        response["Cache-Control"] = "private, no-store"
        response["X-Robots-Tag"] = "noindex"
        response["Referrer-Policy"] = "no-referrer"
        return response

    def refused(self, request: HttpRequest, reason: str, status: int) -> HttpResponse:
        return TemplateResponse(
            request,
            "members_area/invitation_refused.html",
            {"reason": reason},
            status=status,
        )

    def render(self, request: HttpRequest, form: AccountForm | None = None, status: int = 200):
        invitation = self.invitation
        user = request.user
        if user.is_authenticated:
            situation = "accept" if signed_in_as_invited(user, invitation.email) else "other"
        elif account_exists(invitation.email):
            situation = "sign_in"
        else:
            situation = "new"
            form = form or AccountForm(email=invitation.email)
        login_url = f"{reverse('account_login')}?next={request.path}"
        context = {
            "invitation": invitation,
            "situation": situation,
            "form": form,
            "login_url": login_url,
        }
        return TemplateResponse(request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        return self.render(request)

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        invitation = self.invitation
        user = request.user
        if user.is_authenticated:
            if not signed_in_as_invited(user, invitation.email):
                return self.render(request, status=403)
            return self.accept(request, user)
        if account_exists(invitation.email):
            return self.render(request)  # sign in first
        form = AccountForm(request.POST, email=invitation.email)
        if not form.is_valid():
            return self.render(request, form=form)
        try:
            with transaction.atomic():
                user = create_member_account(
                    email=invitation.email,
                    name=form.cleaned_data["name"],
                    password=form.cleaned_data["password1"],
                )
                accept_invitation(invitation=invitation, user=user)
        except IntegrityError:
            return self.render(request)  # an account appeared meanwhile: sign in
        except ValidationError as error:
            if error.code == "exists":
                return self.render(request)
            return self.refused(request, error.messages[0], 409)
        return self.accepted(request, user, sign_in=True)

    def accept(self, request: HttpRequest, user) -> HttpResponse:
        try:
            accept_invitation(invitation=self.invitation, user=user)
        except ValidationError as error:
            return self.refused(request, error.messages[0], 409)
        return self.accepted(request, user)

    def accepted(self, request: HttpRequest, user, sign_in: bool = False) -> HttpResponse:
        if sign_in:
            login(request, user, backend=ALLAUTH_BACKEND)
        if self.invitation.organisation:
            messages.success(
                request,
                _("Welcome. You are now a contact of %(name)s.")
                % {"name": self.invitation.organisation.name},
            )
        else:
            messages.success(request, _("Welcome. You now keep your own profile here."))
        return redirect("account:home")
