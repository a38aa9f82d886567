from django.views.generic import DetailView

from .models import Agreement


class AgreementDetailView(DetailView):
    queryset = Agreement.objects.public()
