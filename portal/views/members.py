"""Pages of members' records that show what the other apps say about them: an organisation's
profile, people, divisions and topics."""

from typing import Any

from django.template.response import TemplateResponse
from django.views.generic import DetailView, ListView

from conferences.models import Appearance, Conference, Session
from core.aggregates import read_many
from core.dependencies import PreciseCacheMixin
from core.pagination import CappedPaginator, KeptTotalMixin
from members.badges import badge_embed
from members.directory import PEOPLE_KEY
from members.logos import CARD_LOGO_BOX, PROFILE_LOGO_BOX, fit_logos
from members.models import Membership, Office, Organisation, Person
from members.structured_data import organisation_json_ld, person_json_ld

from .. import selectors
from ..filters import PersonFilter
from ..suggestions import partner_suggestions


class OrganisationDetailView(PreciseCacheMixin, DetailView):
    """Any organisation, member or not: partners, hosts and places visited have pages too."""

    # The partners suggested are current members: a membership anywhere may change them.
    cache_depends_on = (Membership,)

    template_name = "members/organisation_detail.html"

    def get_queryset(self):
        return selectors.organisations_with_activity()

    def get_object(self, queryset=None):
        organisation = super().get_object(queryset)
        selectors.complete_organisations([organisation])
        return organisation

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        organisation = self.object
        fit_logos([organisation], PROFILE_LOGO_BOX)
        context.update(
            membership=next(iter(organisation.current_memberships), None),
            agreements=[
                {
                    "agreement": party.agreement,
                    "partners": [
                        other.organisation
                        for other in party.agreement.parties.all()
                        if other.organisation_id != organisation.pk
                    ],
                }
                for party in organisation.public_agreement_parties
            ],
            meta_image=organisation.logo.url if organisation.logo else "",
            json_ld=organisation_json_ld(organisation, self.request),
            partner_suggestions=partner_suggestions(organisation=organisation),
        )
        if context["membership"]:
            context.update(badge_embed(organisation, self.request))
        return context


class PersonListView(KeptTotalMixin, PreciseCacheMixin, ListView):
    template_name = "members/person_list.html"
    paginate_by = 30
    # Which people are listed, and the filters' counts (by conference, organisation...).
    cache_depends_on = (Person, Office, Appearance, Session, Conference, Organisation)
    paginator_class = CappedPaginator

    def get_queryset(self):
        self.filterset = PersonFilter(
            self.request.GET, queryset=Person.objects.public().for_cards(), request=self.request
        )
        self.kept = {}
        if self.filterset.is_unfiltered():
            # Counted over every public person: kept by the worker (one query).
            self.kept = read_many([PEOPLE_KEY, selectors.PEOPLE_CONFERENCES_KEY])
            self.filterset.kept = {
                **self.kept[PEOPLE_KEY].payload,
                "conferences": self.kept[selectors.PEOPLE_CONFERENCES_KEY].payload,
            }
        return self.filterset.qs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        self.filterset.count_facets()
        context["filter"] = self.filterset
        return context


class PersonDetailView(PreciseCacheMixin, DetailView):
    template_name = "members/person_detail.html"

    def get_queryset(self):
        return selectors.people_with_activity()

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        if self.object.removed_at is not None:
            # Removed at the person's request: the page is gone for good.
            return TemplateResponse(request, "members/person_removed.html", status=410)
        return self.render_to_response(self.get_context_data(object=self.object))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        person = self.object
        context.update(
            meta_image=person.public_photo.url if person.public_photo else "",
            json_ld=person_json_ld(person, self.request),
        )
        return context


class DivisionListView(ListView):
    template_name = "members/division_list.html"

    def get_queryset(self):
        return selectors.divisions_with_counts()


class DivisionDetailView(DetailView):
    template_name = "members/division_detail.html"

    def get_queryset(self):
        return selectors.divisions_with_members_and_conferences()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        fit_logos(self.object.member_organisations, CARD_LOGO_BOX)
        return context


class TopicListView(ListView):
    template_name = "members/topic_list.html"
    # A list of topics (with the kept counts), not a QuerySet that would name itself.
    context_object_name = "topic_list"

    def get_queryset(self):
        return selectors.topics_with_kept_counts()


class TopicDetailView(DetailView):
    template_name = "members/topic_detail.html"

    def get_queryset(self):
        return selectors.topics_with_tagged_records()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        fit_logos(self.object.tagged_organisations, CARD_LOGO_BOX)
        return context
