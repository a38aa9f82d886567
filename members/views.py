from django.views.generic import DetailView

from .models import Division, Organisation, Person, Topic


class OrganisationDetailView(DetailView):
    model = Organisation


class PersonDetailView(DetailView):
    model = Person


class DivisionDetailView(DetailView):
    model = Division


class TopicDetailView(DetailView):
    model = Topic
