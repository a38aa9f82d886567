"""Profiles in the members' area: a contact proposes changes to their organisation's public
profile, a person to their own bio and photo; staff approve them in the admin
(members/admin_proposals.py). Nothing here writes to a record: it only makes proposals."""

from functools import cached_property

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import FormView, TemplateView

from core.validators import validate_image_upload
from members.models import Contact, Organisation, Person, Proposal, Topic
from members.proposal_review import private_image_response, proposals_for_review, review_rows
from members.services import (
    ORGANISATION_PROPOSAL_FIELDS,
    propose_organisation_change,
    propose_person_change,
    withdraw_proposal,
)
from members.services.proposals import REVIEW_PERMISSION, topic_slugs

from .access import MemberAreaMixin, organisation_of, person_of

IMAGE_ACCEPT = "image/jpeg,image/png,image/webp,image/gif"
MESSAGE_MAX_LENGTH = 2000


def image_field(label: str) -> forms.FileField:
    return forms.FileField(
        label=label,
        required=False,
        validators=[validate_image_upload],
        widget=forms.FileInput(attrs={"accept": IMAGE_ACCEPT}),
        help_text=_("JPEG, PNG, WebP or GIF."),
    )


def message_field() -> forms.CharField:
    return forms.CharField(
        label=_("Note to the association's staff"),
        required=False,
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional: anything that helps staff check the change."),
    )


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """The service's errors beside the fields they name; the rest above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def pending_change(**subject) -> Proposal | None:
    """The latest change proposal of the subject still waiting for review."""
    return (
        Proposal.objects.pending()
        .filter(kind=Proposal.Kind.CHANGE, **subject)
        .order_by("-created", "-pk")
        .first()
    )


class OrganisationProfileForm(forms.Form):
    def __init__(self, *args, pending: Proposal | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ORGANISATION_PROPOSAL_FIELDS:
            field = Organisation._meta.get_field(name)
            options = {"assume_scheme": "https"} if isinstance(field, models.URLField) else {}
            self.fields[name] = field.formfield(**options)
        self.fields["contact_email"].help_text = _(
            "The address the association writes to about your organisation; never shown on "
            "the portal."
        )
        self.fields["topics"] = forms.ModelMultipleChoiceField(
            label=_("Topics"),
            queryset=Topic.objects.order_by("name"),
            to_field_name="slug",
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )
        self.fields["logo"] = image_field(_("New logo"))
        if pending is not None and pending.image:
            self.fields["drop_pending_image"] = forms.BooleanField(
                label=_("Do not propose the new logo after all"), required=False
            )
        self.fields["message"] = message_field()


class PersonProfileForm(forms.Form):
    def __init__(self, *args, pending: Proposal | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bio"] = Person._meta.get_field("bio").formfield()
        self.fields["photo"] = image_field(_("New photo"))
        if pending is not None and pending.image:
            self.fields["drop_pending_image"] = forms.BooleanField(
                label=_("Do not propose the new photo after all"), required=False
            )
        self.fields["message"] = message_field()


class OrganisationAreaView(MemberAreaMixin, TemplateView):
    """One of the contact's organisations as they keep it: its public values, its proposals."""

    template_name = "members_area/profiles/organisation.html"

    def get_context_data(self, **kwargs):
        organisation = organisation_of(self.request.user, self.kwargs["slug"])
        return super().get_context_data(**kwargs) | {
            "organisation": organisation,
            "topics": list(organisation.topics.order_by("name")),
            "proposals": list(
                organisation.proposals.select_related("proposed_by").order_by("-created", "-pk")
            ),
        }


class ProposalFormView(MemberAreaMixin, FormView):
    """A form pre-filled with the record's values, or those of the proposal still waiting;
    sending it makes a proposal (replacing the waiting one)."""

    image_name = ""

    @cached_property
    def pending(self) -> Proposal | None:
        raise NotImplementedError

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"pending": self.pending}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"pending": self.pending}

    def carried_image(self, form: forms.Form, upload):
        """A new upload, else the waiting proposal's image unless the member drops it."""
        if upload:
            return upload
        pending = self.pending
        if (
            pending is not None
            and pending.image
            and not form.cleaned_data.get("drop_pending_image")
        ):
            return pending.image
        return None

    def form_valid(self, form):
        try:
            proposal = self.propose(form)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            gettext("Thank you: your proposal is sent to the association's staff for review."),
        )
        return HttpResponseRedirect(self.success_url_for(proposal))


class OrganisationEditView(ProposalFormView):
    template_name = "members_area/profiles/organisation_form.html"
    form_class = OrganisationProfileForm

    @cached_property
    def organisation(self) -> Organisation:
        return organisation_of(self.request.user, self.kwargs["slug"])

    @cached_property
    def pending(self) -> Proposal | None:
        return pending_change(organisation=self.organisation)

    def get_initial(self):
        organisation = self.organisation
        initial = {name: getattr(organisation, name) for name in ORGANISATION_PROPOSAL_FIELDS}
        initial["topics"] = topic_slugs(organisation.topics.all())
        if self.pending is not None:
            initial |= {
                name: value for name, value in self.pending.changes.items() if name in initial
            }
            initial["message"] = self.pending.message
        return initial

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"organisation": self.organisation}

    def propose(self, form) -> Proposal:
        data = form.cleaned_data
        return propose_organisation_change(
            organisation=self.organisation,
            proposed_by=self.request.user,
            changes={name: data[name] for name in ORGANISATION_PROPOSAL_FIELDS},
            topics=data["topics"],
            logo=self.carried_image(form, data.get("logo")),
            message=data.get("message", ""),
        )

    def success_url_for(self, proposal: Proposal) -> str:
        return reverse("account:organisation", kwargs={"slug": self.organisation.slug})


class ProfileEditView(ProposalFormView):
    """The person linked to the account proposes a new bio or photo."""

    template_name = "members_area/profiles/person_form.html"
    form_class = PersonProfileForm

    @cached_property
    def person(self) -> Person:
        person = person_of(self.request.user)
        if person is None:
            raise Http404
        return person

    @cached_property
    def pending(self) -> Proposal | None:
        return pending_change(person=self.person)

    def get_initial(self):
        initial = {"bio": self.person.bio}
        if self.pending is not None:
            if "bio" in self.pending.changes:
                initial["bio"] = self.pending.changes["bio"]
            initial["message"] = self.pending.message
        return initial

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"person": self.person}

    def propose(self, form) -> Proposal:
        data = form.cleaned_data
        return propose_person_change(
            person=self.person,
            proposed_by=self.request.user,
            bio=data["bio"],
            photo=self.carried_image(form, data.get("photo")),
            message=data.get("message", ""),
        )

    def success_url_for(self, proposal: Proposal) -> str:
        return reverse("account:proposal-detail", args=[proposal.pk])


def proposal_of(user, pk: int) -> Proposal:
    """A proposal about one of the user's organisations or their own record, or 404."""
    organisations = Contact.objects.of_user(user).values("organisation")
    visible = Q(organisation__in=organisations) | Q(
        person__user=user, person__removed_at__isnull=True
    )
    return get_object_or_404(proposals_for_review().filter(visible), pk=pk)


class ProposalDetailView(MemberAreaMixin, TemplateView):
    template_name = "members_area/profiles/proposal_detail.html"

    def get_context_data(self, **kwargs):
        proposal = proposal_of(self.request.user, self.kwargs["pk"])
        is_proposer = proposal.proposed_by_id == self.request.user.pk
        return super().get_context_data(**kwargs) | {
            "proposal": proposal,
            "rows": review_rows(proposal, only_changed=True),
            "is_proposer": is_proposer,
            "may_withdraw": is_proposer and proposal.status == Proposal.Status.PENDING,
        }


class ProposalWithdrawView(MemberAreaMixin, View):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int):
        proposal = proposal_of(request.user, pk)
        try:
            withdraw_proposal(proposal=proposal, user=request.user)
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, gettext("Your proposal is withdrawn."))
        return HttpResponseRedirect(reverse("account:proposal-detail", args=[proposal.pk]))


class ProposalImageView(MemberAreaMixin, View):
    """The proposed logo or photo: to its proposer (while they may still see the proposal)
    and to staff who may review; to anyone else the same 404 as for no image."""

    def get(self, request: HttpRequest, pk: int):
        user = request.user
        if user.is_active and user.has_perm(REVIEW_PERMISSION):
            proposal = Proposal.objects.filter(pk=pk).first()
        else:
            proposal = proposal_of(user, pk)
            if proposal.proposed_by_id != user.pk:
                raise Http404
        if proposal is None or not proposal.image:
            raise Http404
        return private_image_response(proposal.image)
