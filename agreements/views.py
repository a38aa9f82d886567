from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils.formats import date_format
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.views.generic import DetailView
from django_filters.views import FilterView
from rest_framework.exceptions import AuthenticationFailed

from config.rest.authentication import ApiTokenAuthentication

from .filters import AgreementFilter
from .models import DOCUMENT_FOLDER, Agreement


class AgreementListView(FilterView):
    filterset_class = AgreementFilter
    queryset = Agreement.objects.public().for_list()
    template_name = "agreements/agreement_list.html"
    context_object_name = "agreements"
    paginate_by = 20


class AgreementDetailView(DetailView):
    queryset = Agreement.objects.public().for_detail()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        agreement = self.object
        context["parties"] = parties = list(agreement.parties.all())
        context["meta_description"] = agreement.summary or self.describe(agreement, parties)
        return context

    @staticmethod
    def describe(agreement: Agreement, parties: list) -> str:
        names = get_text_list([party.organisation.name for party in parties], _("and"))
        values = {"kind": agreement.get_kind_display(), "parties": names}
        if agreement.signed_on:
            values["date"] = date_format(agreement.signed_on)
            return _("%(kind)s between %(parties)s, signed on %(date)s.") % values
        return _("%(kind)s between %(parties)s.") % values


def may_read_private_documents(request) -> bool:
    """Staff who may view agreements: logged in to the admin, or with a staff API token."""
    if request.user.has_perm("agreements.view_agreement"):
        return True
    try:
        caller = ApiTokenAuthentication().authenticate(request)
    except AuthenticationFailed:
        return False
    return caller is not None and caller[0].has_perm("agreements.view_agreement")


def agreement_document(request, filename: str):
    """A signed document: to anyone when it and its agreement are public, else to staff only.

    Anyone else gets the same 404 as for a file that does not exist.
    """
    agreement = get_object_or_404(Agreement, document=f"{DOCUMENT_FOLDER}/{filename}")
    public = agreement.document_is_public and (
        Agreement.objects.public().filter(pk=agreement.pk).exists()
    )
    if not (public or may_read_private_documents(request)):
        raise Http404
    try:
        document = agreement.document.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        document, content_type="application/pdf", filename=f"{agreement.slug}.pdf"
    )
    response["Cache-Control"] = "public, max-age=3600" if public else "private, no-store"
    return response
