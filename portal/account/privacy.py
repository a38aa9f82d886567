"""A person's own record in the members' area: what the portal shows about them, their consent
to a full profile, a copy of everything kept about them, and their request to be removed."""

import json
from typing import Any

from allauth.account.models import EmailAddress
from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from agreements.models import AgreementParty
from agreements.selectors import public_party_rows
from members.models import Contact, Office, Person, Proposal
from members.services import record_consent, request_removal
from members.services.privacy import CONSENT_NOTE_IN_AREA

from .. import selectors
from .access import MemberAreaMixin, person_of


class ConsentForm(forms.Form):
    consent = forms.TypedChoiceField(
        label=_("Your photo, biography and website on the portal"),
        choices=[
            ("yes", _("Show them: visitors see my photo, biography and website.")),
            ("no", _("Hide them: visitors see my name and roles only.")),
        ],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )


class RemovalForm(forms.Form):
    message = forms.CharField(
        label=_("A note to the staff (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class OwnRecordMixin(MemberAreaMixin):
    """The signed-in user's own person record; 404 for an account linked to none."""

    def own_person(self) -> Person:
        person = person_of(self.request.user)
        if person is None:
            raise Http404
        return person


def pending_removal(person: Person) -> Proposal | None:
    return (
        Proposal.objects.pending()
        .filter(person=person, kind=Proposal.Kind.REMOVAL)
        .order_by("-created")
        .first()
    )


class OwnRecordView(OwnRecordMixin, TemplateView):
    """`/account/me/`: what visitors see, what staff keep, and the consent."""

    template_name = "members_area/privacy/me.html"

    def post(self, request, *args, **kwargs):
        person = self.own_person()
        form = ConsentForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        given = form.cleaned_data["consent"]
        record_consent(
            person=person, given=given, note=CONSENT_NOTE_IN_AREA, recorded_by=request.user
        )
        if given:
            messages.success(
                request, gettext("Visitors now see your photo, biography and website.")
            )
        else:
            messages.success(request, gettext("Visitors now see your name and roles only."))
        return HttpResponseRedirect(reverse("account:me"))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        own = self.own_person()
        person = selectors.people_with_activity().get(pk=own.pk)
        context.update(
            person=person,
            signatures=list(
                public_party_rows().filter(signatory=person).select_related("organisation")
            ),
            pending_removal=pending_removal(person),
        )
        if "form" not in context:
            context["form"] = ConsentForm(
                initial={"consent": "yes" if own.display_consent else "no"}
            )
        return context


class RemovalRequestView(OwnRecordMixin, TemplateView):
    """`/account/me/remove/`: what a removal does, and the request to staff."""

    template_name = "members_area/privacy/remove.html"

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=RemovalForm()))

    def post(self, request, *args, **kwargs):
        person = self.own_person()
        form = RemovalForm(request.POST)
        if form.is_valid():
            try:
                request_removal(
                    person=person,
                    requested_by=request.user,
                    message=form.cleaned_data["message"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    gettext(
                        "Your request has been sent. The staff will remove your record and let "
                        "you know."
                    ),
                )
                return HttpResponseRedirect(reverse("account:me"))
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        person = self.own_person()
        context.update(person=person, pending_removal=pending_removal(person))
        return context


def _date(value) -> str | None:
    return value.isoformat() if value else None


def export_data(person: Person, user) -> dict[str, Any]:
    """Everything the portal keeps about the person and their account, and nobody else's."""
    offices = Office.objects.filter(person=person).for_titles().order_by("started_on", "pk")
    appearances = person.appearances.select_related("session__conference").order_by(
        "session__conference__start_date", "session__day", "pk"
    )
    signatures = (
        AgreementParty.objects.filter(signatory=person)
        .select_related("agreement", "organisation")
        .order_by("agreement__signed_on", "pk")
    )
    proposals = Proposal.objects.filter(proposed_by=user) | Proposal.objects.filter(person=person)
    proposals = proposals.select_related("organisation", "person").order_by("created", "pk")
    return {
        "exported_at": timezone.now().isoformat(),
        "person": {
            "name": person.name,
            "honorific": person.honorific,
            "slug": person.slug,
            "page": person.get_absolute_url(),
            "job_title": person.job_title,
            "affiliation": person.affiliation.name if person.affiliation else None,
            "country": person.country.code or None,
            "biography": person.bio,
            "website": person.website,
            "email": person.email,
            "photo": person.photo.url if person.photo else None,
            "display_consent": person.display_consent,
            "consent_recorded_on": _date(person.consent_recorded_on),
            "consent_note": person.consent_note,
            "created": person.created.isoformat(),
            "modified": person.modified.isoformat(),
        },
        "appearances": [
            {
                "conference": appearance.session.conference.title,
                "session": appearance.session.title,
                "day": _date(appearance.session.day),
                "role": appearance.get_role_display(),
                "capacity": appearance.capacity,
                "public": appearance.session.is_published
                and appearance.session.conference.is_published,
            }
            for appearance in appearances
        ],
        "offices": [
            {
                "title": office.full_title,
                "started_on": _date(office.started_on),
                "ended_on": _date(office.ended_on),
            }
            for office in offices
        ],
        "agreements_signed": [
            {
                "agreement": party.agreement.title,
                "signed_on": _date(party.agreement.signed_on),
                "for": party.organisation.name,
                "public": party.agreement.is_public,
            }
            for party in signatures
        ],
        "account": {
            "username": user.get_username(),
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
            "email_addresses": [
                {"email": address.email, "verified": address.verified, "primary": address.primary}
                for address in EmailAddress.objects.filter(user=user).order_by("email")
            ],
        },
        "contacts": [
            {"organisation": contact.organisation.name, "since": contact.created.isoformat()}
            for contact in Contact.objects.of_user(user).select_related("organisation")
        ],
        "proposals": [
            {
                "kind": proposal.get_kind_display(),
                "about": str(proposal.subject),
                "status": proposal.get_status_display(),
                "proposed_at": proposal.created.isoformat(),
                "changes": proposal.changes,
                "message": proposal.message,
                "reviewed_at": proposal.reviewed_at.isoformat() if proposal.reviewed_at else None,
                "review_message": proposal.review_message,
            }
            for proposal in proposals
        ],
    }


class ExportView(OwnRecordMixin, View):
    """`/account/me/export.json`: a copy of the person's data, as a download."""

    def get(self, request, *args, **kwargs):
        person = self.own_person()
        body = json.dumps(export_data(person, request.user), ensure_ascii=False, indent=2)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{person.slug}-data.json"'
        return response
