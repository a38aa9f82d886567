from django.views.generic import DetailView

from .models import Conference


class ConferenceDetailView(DetailView):
    model = Conference
