from django.views.generic import DetailView, ListView

from .models import Agreement


class AgreementListView(ListView):
    queryset = Agreement.objects.public()


class AgreementDetailView(DetailView):
    queryset = Agreement.objects.public()
