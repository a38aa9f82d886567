from django.utils.formats import date_format
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.views.generic import DetailView
from django_filters.views import FilterView

from .filters import AgreementFilter
from .models import Agreement


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
