from django.views.generic import DetailView, ListView

from .models import Division, Organisation, Person, Topic


class OrganisationListView(ListView):
    model = Organisation


class OrganisationDetailView(DetailView):
    model = Organisation


class PersonListView(ListView):
    model = Person


class PersonDetailView(DetailView):
    model = Person


class DivisionListView(ListView):
    model = Division


class DivisionDetailView(DetailView):
    model = Division


class TopicListView(ListView):
    model = Topic


class TopicDetailView(DetailView):
    model = Topic
