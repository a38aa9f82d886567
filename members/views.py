from collections.abc import Iterable
from typing import Any

from django.http import HttpRequest
from django.views.generic import DetailView, ListView

from .filters import OrganisationFilter, PersonFilter
from .models import Division, Organisation, Person, Topic

# The boxes logos are drawn in: a directory card (.card__logo is 7.5rem tall) and a profile.
CARD_LOGO_BOX = (176, 120)
PROFILE_LOGO_BOX = (240, 160)


def fit_logos(organisations: Iterable[Organisation], box: tuple[int, int]) -> None:
    """Give each logo the width and height it is shown at, so the page does not jump as it loads.

    Sets `logo_size` to (width, height), scaled down to fit `box`, or None without a logo.
    """
    max_width, max_height = box
    for organisation in organisations:
        width, height = organisation.logo_width, organisation.logo_height
        if not (organisation.logo and width and height):
            organisation.logo_size = None
            continue
        scale = min(1, max_width / width, max_height / height)
        organisation.logo_size = (max(1, round(width * scale)), max(1, round(height * scale)))


def same_as(organisation: Organisation) -> list[str]:
    links = []
    if organisation.ror_id:
        links.append(f"https://ror.org/{organisation.ror_id}")
    if organisation.wikidata_id:
        links.append(f"https://www.wikidata.org/wiki/{organisation.wikidata_id}")
    return links


def organisation_json_ld(organisation: Organisation, request: HttpRequest) -> dict[str, Any]:
    page = request.build_absolute_uri(organisation.get_absolute_url())
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "@id": page,
        "name": organisation.name,
        "url": organisation.website or page,
    }
    if organisation.short_name:
        data["alternateName"] = organisation.short_name
    if organisation.logo:
        data["logo"] = request.build_absolute_uri(organisation.logo.url)
    address = {"@type": "PostalAddress", "addressCountry": organisation.country.code}
    if organisation.city:
        address["addressLocality"] = organisation.city
    data["address"] = address
    if organisation.description:
        data["description"] = organisation.description
    if links := same_as(organisation):
        data["sameAs"] = links
    return data


def person_json_ld(person: Person, request: HttpRequest) -> dict[str, Any]:
    page = request.build_absolute_uri(person.get_absolute_url())
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Person",
        "@id": page,
        "name": person.name,
        "url": page,
    }
    if person.honorific:
        data["honorificPrefix"] = person.honorific
    if person.job_title:
        data["jobTitle"] = person.job_title
    if person.affiliation:
        data["affiliation"] = {
            "@type": "Organization",
            "name": person.affiliation.name,
            "url": request.build_absolute_uri(person.affiliation.get_absolute_url()),
        }
    if person.photo:
        data["image"] = request.build_absolute_uri(person.photo.url)
    if person.website:
        data["sameAs"] = [person.website]
    return data


class OrganisationListView(ListView):
    """The member directory: current members only, searchable, with counted filters."""

    template_name = "members/organisation_list.html"
    paginate_by = 24

    def get_queryset(self):
        self.filterset = OrganisationFilter(
            self.request.GET, queryset=Organisation.objects.for_directory(), request=self.request
        )
        return self.filterset.qs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        self.filterset.count_facets()
        fit_logos(context["object_list"], CARD_LOGO_BOX)
        context["filter"] = self.filterset
        return context


class OrganisationDetailView(DetailView):
    """Any organisation, member or not: partners, hosts and places visited have pages too."""

    template_name = "members/organisation_detail.html"

    def get_queryset(self):
        return Organisation.objects.for_profile()

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
        )
        return context


class PersonListView(ListView):
    template_name = "members/person_list.html"
    paginate_by = 30

    def get_queryset(self):
        self.filterset = PersonFilter(
            self.request.GET, queryset=Person.objects.for_cards(), request=self.request
        )
        return self.filterset.qs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        self.filterset.count_facets()
        context["filter"] = self.filterset
        return context


class PersonDetailView(DetailView):
    template_name = "members/person_detail.html"

    def get_queryset(self):
        return Person.objects.for_profile()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        person = self.object
        context.update(
            meta_image=person.photo.url if person.photo else "",
            json_ld=person_json_ld(person, self.request),
        )
        return context


class DivisionListView(ListView):
    template_name = "members/division_list.html"

    def get_queryset(self):
        return Division.objects.with_counts()


class DivisionDetailView(DetailView):
    template_name = "members/division_detail.html"

    def get_queryset(self):
        return Division.objects.for_profile()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        fit_logos(self.object.member_organisations, CARD_LOGO_BOX)
        return context


class TopicListView(ListView):
    template_name = "members/topic_list.html"

    def get_queryset(self):
        return Topic.objects.with_counts()


class TopicDetailView(DetailView):
    template_name = "members/topic_detail.html"

    def get_queryset(self):
        return Topic.objects.for_profile()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        fit_logos(self.object.tagged_organisations, CARD_LOGO_BOX)
        return context
