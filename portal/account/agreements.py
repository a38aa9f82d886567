"""Agreements in the members' area: those the user's organisations are party to, a new one
recorded for the other parties to confirm, and each party's answer."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView

from agreements.confirmations import (
    CHANGED,
    CONFIRMED,
    WAITING,
    fingerprint,
    has_confirmations,
    is_fully_confirmed,
    party_states,
)
from agreements.models import LANGUAGE_CHOICES, Agreement, AgreementDocument
from agreements.services import (
    ask_correction,
    concluded_on,
    confirm_agreement,
    propose_agreement,
    update_proposed_agreement,
)
from agreements.validators import validate_pdf_upload
from conferences.models import Conference
from core.validators import validate_single_line
from members.models import Organisation, Topic

from .access import MemberAreaMixin, organisations_of

MAX_SUMMARY = 5000
MAX_DOCUMENTS_AT_ONCE = 10


class OrganisationChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, organisation: Organisation) -> str:
        place = ", ".join(part for part in (organisation.city, organisation.country.name) if part)
        return f"{organisation.name} — {place}" if place else organisation.name


class MultiplePdfInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePdfField(forms.FileField):
    """Several PDFs from one file input, each checked by the PDF parser; a list, maybe empty."""

    widget = MultiplePdfInput
    default_validators = [validate_pdf_upload]

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultiplePdfInput(attrs={"accept": "application/pdf"}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        files = [file for file in files if file]
        if len(files) > MAX_DOCUMENTS_AT_ONCE:
            raise ValidationError(
                _("Upload at most %(count)d documents at once.") % {"count": MAX_DOCUMENTS_AT_ONCE},
                code="too_many_documents",
            )
        if not files:
            super().clean(None, initial)  # says so when the field is required
            return []
        return [super(MultiplePdfField, self).clean(file, initial) for file in files]


class AgreementForm(forms.Form):
    """What a member records of an agreement; the rules are the services'."""

    organisation = forms.ModelChoiceField(
        label=gettext_lazy("Recorded for"),
        queryset=Organisation.objects.none(),
        empty_label=None,
        help_text=gettext_lazy("Which of your organisations signed it."),
    )
    other_parties = OrganisationChoiceField(
        label=gettext_lazy("Other parties"),
        queryset=Organisation.objects.order_by("name", "pk"),
        help_text=gettext_lazy("The other organisations that signed it, at least one."),
    )
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=Agreement.Kind.choices)
    title = forms.CharField(
        label=gettext_lazy("Title"), max_length=300, validators=[validate_single_line]
    )
    signed_on = forms.DateField(
        label=gettext_lazy("Your organisation signed on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    others_signed_on = forms.DateField(
        label=gettext_lazy("The other parties signed on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=gettext_lazy("Leave empty if you do not know it yet."),
    )
    effective_on = forms.DateField(
        label=gettext_lazy("Entry into force"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    expires_on = forms.DateField(
        label=gettext_lazy("Expires on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    signed_city = forms.CharField(
        label=gettext_lazy("Signed in (city)"),
        max_length=120,
        required=False,
        validators=[validate_single_line],
    )
    signed_at_conference = forms.ModelChoiceField(
        label=gettext_lazy("Signed at the conference"),
        queryset=Conference.objects.published().order_by("-start_date", "pk"),
        required=False,
    )
    topics = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Focus areas"),
        queryset=Topic.objects.order_by("name"),
        required=False,
    )
    summary = forms.CharField(
        label=gettext_lazy("Summary"), widget=forms.Textarea, required=False, max_length=MAX_SUMMARY
    )
    documents = MultiplePdfField(
        label=gettext_lazy("Documents (PDF)"),
        required=False,
        help_text=gettext_lazy(
            "One or more PDF files, added to those already recorded. They stay private until "
            "staff publish them."
        ),
    )
    document_kind = forms.ChoiceField(
        label=gettext_lazy("These documents are"),
        choices=AgreementDocument.Kind.choices,
        initial=AgreementDocument.Kind.SIGNED_TEXT,
        required=False,
    )
    document_language = forms.ChoiceField(
        label=gettext_lazy("Their language"),
        choices=LANGUAGE_CHOICES,
        initial="en",
        required=False,
    )

    def __init__(self, *args, organisations: list[Organisation], proposer=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.proposer = proposer
        if proposer is not None:
            del self.fields["organisation"]
        else:
            self.fields["organisation"].queryset = Organisation.objects.filter(
                pk__in=[organisation.pk for organisation in organisations]
            ).order_by("name", "pk")

    def clean_document_kind(self) -> str:
        return self.cleaned_data["document_kind"] or AgreementDocument.Kind.SIGNED_TEXT

    def clean_document_language(self) -> str:
        return self.cleaned_data["document_language"] or "en"

    def clean(self) -> dict:
        data = super().clean()
        proposer = self.proposer or data.get("organisation")
        others = data.get("other_parties")
        if proposer is not None and others is not None and proposer in others:
            self.add_error(
                "other_parties",
                _("%(organisation)s records the agreement: choose only the other parties.")
                % {"organisation": proposer.name},
            )
        return data

    # Where the services' complaints about a field of the record belong on this form.
    ERROR_FIELDS = {
        "parties": "other_parties",
        "signed_country": "signed_at_conference",
    }

    def add_service_errors(self, error: ValidationError) -> None:
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for name, errors in error.error_dict.items():
            if name == "slug":
                self.add_error("title", _("Give a title with letters or digits."))
                continue
            field = self.ERROR_FIELDS.get(name, name)
            if field not in self.fields:
                field = None
            for message in errors:
                self.add_error(field, message)


class AnswerForm(forms.Form):
    ACTIONS = [("confirm", gettext_lazy("Confirm")), ("correction", gettext_lazy("Correction"))]

    action = forms.ChoiceField(choices=ACTIONS)
    organisation = forms.SlugField(max_length=200)
    message = forms.CharField(
        label=gettext_lazy("What should be corrected?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=MAX_SUMMARY,
    )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("action") == "correction" and not (data.get("message") or "").strip():
            self.add_error("message", _("Say what should be corrected."))
        return data


def agreements_of(organisations: list[Organisation]):
    return (
        Agreement.objects.involving(organisations)
        .for_confirmations()
        .select_related("proposed_for")
        .order_by("-created", "pk")
    )


def summary_of(agreement: Agreement, mine: set[int]) -> dict:
    """An agreement as the area shows it: the parties' states, which are the user's, and
    whether one of the user's organisations is still to answer."""
    states = party_states(agreement, fingerprint(agreement))
    asked = has_confirmations(agreement)
    return {
        "agreement": agreement,
        "states": states,
        "mine": [state for state in states if state.organisation.pk in mine],
        "waiting_for_me": asked
        and any(
            state.organisation.pk in mine and state.state in (WAITING, CHANGED) for state in states
        ),
        "proposed_by_us": agreement.proposed_for_id in mine,
        "complete": asked and all(state.state == CONFIRMED for state in states),
    }


def waiting_count(user) -> int:
    """How many agreements wait for an answer of one of the user's organisations."""
    organisations = organisations_of(user)
    if not organisations:
        return 0
    mine = {organisation.pk for organisation in organisations}
    return sum(
        1
        for agreement in agreements_of(organisations).exclude(proposed_for=None)
        if summary_of(agreement, mine)["waiting_for_me"]
    )


class AgreementListView(MemberAreaMixin, TemplateView):
    template_name = "members_area/agreements/agreement_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        organisations = organisations_of(self.request.user)
        mine = {organisation.pk for organisation in organisations}
        rows = [summary_of(agreement, mine) for agreement in agreements_of(organisations)]
        context |= {
            "organisations": organisations,
            "waiting": [row for row in rows if row["waiting_for_me"]],
            "proposed": [
                row for row in rows if row["proposed_by_us"] and not row["waiting_for_me"]
            ],
            "others": [row for row in rows if not (row["waiting_for_me"] or row["proposed_by_us"])],
        }
        return context


class AgreementMixin(MemberAreaMixin):
    """One agreement one of the user's organisations is party to; 404 for any other."""

    def get_agreement(self) -> Agreement:
        self.organisations = organisations_of(self.request.user)
        agreement = agreements_of(self.organisations).filter(slug=self.kwargs["slug"]).first()
        if agreement is None:
            raise Http404
        self.mine = {organisation.pk for organisation in self.organisations}
        return agreement

    def may_edit(self, agreement: Agreement) -> bool:
        return not agreement.is_public and agreement.proposed_for_id in self.mine


class AgreementDetailView(AgreementMixin, TemplateView):
    template_name = "members_area/agreements/agreement_detail.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return super().dispatch(request, *args, **kwargs)
        self.agreement = self.get_agreement()
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, answer_form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        agreement = self.agreement
        row = summary_of(agreement, self.mine)
        proposing = agreement.proposed_for_id in self.mine
        context |= {
            **row,
            "topics": list(agreement.topics.all()),
            "parties": list(agreement.parties.all()),
            # A correction is read by the party that asked it and by the proposing party.
            "visible_messages": [
                state
                for state in row["states"]
                if state.message and (proposing or state.organisation.pk in self.mine)
            ],
            "may_edit": self.may_edit(agreement),
            "answer_form": answer_form or AnswerForm(),
            "fully_confirmed": is_fully_confirmed(agreement),
        }
        return context

    def post(self, request, *args, **kwargs):
        form = AnswerForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(answer_form=form))
        organisation = next(
            (
                party.organisation
                for party in self.agreement.parties.all()
                if party.organisation.slug == form.cleaned_data["organisation"]
                and party.organisation.pk in self.mine
            ),
            None,
        )
        if organisation is None:
            raise Http404
        try:
            if form.cleaned_data["action"] == "confirm":
                confirm_agreement(
                    agreement=self.agreement, organisation=organisation, user=request.user
                )
                messages.success(
                    request,
                    _("%(organisation)s has confirmed the agreement.")
                    % {"organisation": organisation.name},
                )
            else:
                ask_correction(
                    agreement=self.agreement,
                    organisation=organisation,
                    user=request.user,
                    message=form.cleaned_data["message"],
                )
                messages.success(
                    request,
                    _("Your correction has been sent to the organisation that recorded it."),
                )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
            return self.render_to_response(self.get_context_data(answer_form=form))
        return HttpResponseRedirect(request.path)


class AgreementCreateView(MemberAreaMixin, FormView):
    template_name = "members_area/agreements/agreement_form.html"
    form_class = AgreementForm
    renews = None

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.organisations = organisations_of(request.user)
            if not self.organisations:
                raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "organisations": self.organisations}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            agreement = propose_agreement(
                proposed_by=self.request.user,
                organisation=data["organisation"],
                other_parties=list(data["other_parties"]),
                kind=data["kind"],
                title=data["title"],
                signed_on=data["signed_on"],
                others_signed_on=data["others_signed_on"],
                effective_on=data["effective_on"],
                expires_on=data["expires_on"],
                renews=self.renews,
                signed_city=data["signed_city"],
                signed_at_conference=data["signed_at_conference"],
                topics=list(data["topics"]),
                summary=data["summary"],
                documents=data["documents"],
                document_kind=data["document_kind"],
                document_language=data["document_language"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("The agreement is recorded. The other parties are asked to confirm it."),
        )
        return HttpResponseRedirect(
            reverse("account:agreement-detail", kwargs={"slug": agreement.slug})
        )


def own_date(agreement: Agreement, organisation_id: int | None):
    """When the organisation signed (the agreement's date if its own is not known)."""
    for party in agreement.parties.all():
        if party.organisation_id == organisation_id and party.signed_on:
            return party.signed_on
    return agreement.signed_on


def others_date(agreement: Agreement, organisation_id: int | None):
    """When the other parties signed: the last of their dates, once each has one."""
    dates = [p.signed_on for p in agreement.parties.all() if p.organisation_id != organisation_id]
    return concluded_on(dates)


class AgreementRenewView(AgreementMixin, AgreementCreateView):
    """A new record renewing an agreement the user's organisation is party to, filled in from
    it: the same parties, kind, focus areas and summary; new dates."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.renews = self.get_agreement()
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        agreement = self.renews
        parties = [party.organisation for party in agreement.parties.all()]
        mine = next(party for party in parties if party.pk in self.mine)
        return {
            "organisation": mine,
            "other_parties": [party for party in parties if party.pk != mine.pk],
            "kind": agreement.kind,
            "title": _("%(title)s (renewal)") % {"title": agreement.title},
            "topics": list(agreement.topics.all()),
            "summary": agreement.summary,
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(renews=self.renews, **kwargs)


class AgreementUpdateView(AgreementMixin, FormView):
    template_name = "members_area/agreements/agreement_form.html"
    form_class = AgreementForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.agreement = self.get_agreement()
            if not self.may_edit(self.agreement):
                raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "organisations": self.organisations,
            "proposer": self.agreement.proposed_for,
        }

    def get_initial(self):
        agreement = self.agreement
        return {
            "other_parties": [
                party.organisation
                for party in agreement.parties.all()
                if party.organisation_id != agreement.proposed_for_id
            ],
            "kind": agreement.kind,
            "title": agreement.title,
            "signed_on": own_date(agreement, agreement.proposed_for_id),
            "others_signed_on": others_date(agreement, agreement.proposed_for_id),
            "effective_on": agreement.effective_on,
            "expires_on": agreement.expires_on,
            "signed_city": agreement.signed_city,
            "signed_at_conference": agreement.signed_at_conference,
            "topics": list(agreement.topics.all()),
            "summary": agreement.summary,
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(agreement=self.agreement, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            update_proposed_agreement(
                agreement=self.agreement,
                user=self.request.user,
                other_parties=list(data["other_parties"]),
                topics=list(data["topics"]),
                kind=data["kind"],
                title=data["title"],
                signed_on=data["signed_on"],
                others_signed_on=data["others_signed_on"],
                effective_on=data["effective_on"],
                expires_on=data["expires_on"],
                signed_city=data["signed_city"],
                signed_at_conference=data["signed_at_conference"],
                summary=data["summary"],
                documents=data["documents"],
                document_kind=data["document_kind"],
                document_language=data["document_language"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("The agreement is changed. Parties whose answer no longer matches are asked again."),
        )
        return HttpResponseRedirect(
            reverse("account:agreement-detail", kwargs={"slug": self.agreement.slug})
        )
