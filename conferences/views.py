from django.http import HttpResponse
from django.views import View
from django.views.generic import DetailView, ListView

from .models import Conference


class ConferenceListView(ListView):
    model = Conference


class ConferenceDetailView(DetailView):
    model = Conference


class ConferenceCalendarView(View):
    def get(self, request, slug):
        return HttpResponse(status=501)


class UpcomingCalendarView(View):
    def get(self, request):
        return HttpResponse(status=501)
