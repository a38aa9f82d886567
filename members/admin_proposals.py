"""The review queue: changes members propose, which staff approve or decline here. A proposal
is never edited in the admin; its page is a review page whose buttons call the services."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, IntegerField, Value, When
from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import Proposal
from .proposal_review import (
    changed_since,
    private_image_response,
    proposals_for_review,
    review_rows,
)
from .services import approve_proposal, reject_proposal


class ReviewForm(forms.Form):
    APPROVE = "approve"
    REJECT = "reject"

    decision = forms.ChoiceField(
        choices=[(APPROVE, _("Approve")), (REJECT, _("Decline"))], widget=forms.HiddenInput
    )
    review_message = forms.CharField(
        label=_("Message to the member"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        help_text=_("Required to decline: tell the member why."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == self.REJECT and not cleaned.get("review_message", "").strip():
            self.add_error(
                "review_message", gettext("Tell the member why the proposal is declined.")
            )
        return cleaned


class ProposalAdmin(admin.ModelAdmin):
    list_display = ["subject_name", "kind", "status", "proposer", "created", "reviewed_by"]
    list_display_links = ["subject_name"]
    list_filter = ["status", "kind"]
    list_select_related = ["organisation", "person", "proposed_by", "reviewed_by"]
    search_fields = ["organisation__name", "person__name", "proposed_by__email"]
    actions = None
    review_template = "admin/members/proposal/review.html"

    def get_ordering(self, request: HttpRequest) -> list[str]:
        waiting_first = Case(
            When(status=Proposal.Status.PENDING, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
        return [waiting_first.asc(), "-created", "-pk"]  # waiting first, newest first

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # the decisions stay on record

    @admin.display(description=_("about"), ordering="organisation__name")
    def subject_name(self, proposal: Proposal) -> str:
        return str(proposal.subject)

    @admin.display(description=_("proposed by"), ordering="proposed_by__email")
    def proposer(self, proposal: Proposal) -> str:
        user = proposal.proposed_by
        return (user.email or user.get_username()) if user else "—"

    def get_urls(self):
        image = path(
            "<path:object_id>/image/",
            self.admin_site.admin_view(self.image_view),
            name="members_proposal_image",
        )
        return [image, *super().get_urls()]

    def image_view(self, request: HttpRequest, object_id: str):
        proposal = self.get_object(request, unquote(object_id))
        if (
            proposal is None
            or not proposal.image
            or not self.has_view_permission(request, proposal)
        ):
            raise Http404
        return private_image_response(proposal.image)

    def change_view(self, request: HttpRequest, object_id, form_url="", extra_context=None):
        queryset = proposals_for_review()
        proposal = queryset.filter(pk=object_id).first() if str(object_id).isdigit() else None
        if proposal is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_or_change_permission(request, proposal):
            raise PermissionDenied
        may_decide = (
            self.has_change_permission(request, proposal)
            and proposal.status == Proposal.Status.PENDING
        )
        form = ReviewForm(initial={"review_message": proposal.review_message})
        if request.method == "POST":
            if not self.has_change_permission(request, proposal):
                raise PermissionDenied
            form = ReviewForm(request.POST)
            if form.is_valid():
                response = self._decide(request, proposal, form)
                if response is not None:
                    return response
        rows = review_rows(proposal)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Review: %(proposal)s") % {"proposal": proposal},
            "subtitle": None,
            "proposal": proposal,
            "original": proposal,
            "rows": rows,
            "changed_since": changed_since(rows),
            "form": form,
            "may_decide": may_decide,
            "image_url": reverse("admin:members_proposal_image", args=[proposal.pk])
            if proposal.image
            else "",
            "changelist_url": reverse("admin:members_proposal_changelist"),
            "has_view_permission": True,
            **(extra_context or {}),
        }
        return TemplateResponse(request, self.review_template, context)

    def _decide(self, request: HttpRequest, proposal: Proposal, form: ReviewForm):
        decision = form.cleaned_data["decision"]
        try:
            if decision == ReviewForm.APPROVE:
                approve_proposal(proposal=proposal, reviewer=request.user)
                text = gettext("The proposal is approved and the profile changed.")
            else:
                reject_proposal(
                    proposal=proposal,
                    reviewer=request.user,
                    message=form.cleaned_data["review_message"],
                )
                text = gettext("The proposal is declined; the member is told why.")
        except ValidationError as error:
            form.add_error(None, list(error.messages))
            return None
        self.message_user(request, text, messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:members_proposal_changelist"))


admin.site.register(Proposal, ProposalAdmin)
