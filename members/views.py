import hashlib
import unicodedata
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db.models import Count, Q
from django.http import HttpRequest, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import quote_etag
from django.utils.translation import gettext
from django.views import View
from django.views.generic import DetailView, ListView
from django_countries import countries

from core.db.counts import count_of
from core.pagination import CappedPaginator

from .filters import OrganisationFilter, PersonFilter
from .models import Division, Organisation, Person, Topic
from .palette import NO_DIVISION_COLOUR, coloured_divisions
from .suggestions import partner_suggestions

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
    paginator_class = CappedPaginator

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
            partner_suggestions=partner_suggestions(organisation=organisation),
        )
        if context["membership"]:
            context.update(badge_embed(organisation, self.request))
        return context


class PersonListView(ListView):
    template_name = "members/person_list.html"
    paginate_by = 30
    paginator_class = CappedPaginator

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


def current_members_on_map() -> Any:
    return Organisation.objects.current_members().filter(
        latitude__isnull=False, longitude__isnull=False
    )


def map_legend(mapped_count: int) -> list[dict[str, Any]]:
    """The divisions of the `mapped_count` members on the map, each with its colour and number
    of members; members without a division last."""
    divisions = coloured_divisions(on_map=count_of(current_members_on_map(), "division"))
    legend = [
        {
            "division_id": division.pk,
            "name": division.name,
            "count": division.on_map,
            "colour": division.colour,
        }
        for division in divisions
        if division.on_map
    ]
    without_division = mapped_count - sum(row["count"] for row in legend)
    if without_division:
        legend.append(
            {
                "division_id": None,
                "name": gettext("No division"),
                "count": without_division,
                "colour": NO_DIVISION_COLOUR,
            }
        )
    return legend


def members_by_country() -> list[dict[str, Any]]:
    """Current members counted per country, most members first, with how many are on the map."""
    directory = reverse("members:organisation-list")
    rows = (
        Organisation.objects.current_members()
        .values("country")
        .annotate(
            count=Count("pk"),
            mapped=Count("pk", filter=Q(latitude__isnull=False, longitude__isnull=False)),
        )
    )
    counted = [
        {
            "code": row["country"],
            "name": countries.name(row["country"]) or row["country"],
            "count": row["count"],
            "mapped": row["mapped"],
            "url": f"{directory}?country={row['country']}",
        }
        for row in rows.order_by()
    ]
    return sorted(counted, key=lambda row: (-row["count"], row["name"]))


class MemberMapView(ListView):
    """Current members on a world map, coloured by division, with a count per country.

    Without JavaScript the page is the count per country and a paginated table of the members;
    the map draws the points from `MemberMapDataView`.
    """

    template_name = "members/member_map.html"
    paginate_by = 50
    paginator_class = CappedPaginator

    def get_queryset(self):
        return (
            Organisation.objects.current_members()
            .select_related("division")
            .only("name", "slug", "city", "country", "division__name", "division__slug")
            .order_by("name", "pk")
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        by_country = members_by_country()
        member_count = sum(row["count"] for row in by_country)
        mapped_count = sum(row["mapped"] for row in by_country)
        legend = map_legend(mapped_count)
        context.update(
            countries=by_country,
            legend=legend,
            member_count=member_count,
            country_count=len(by_country),
            mapped_count=mapped_count,
            unmapped_count=member_count - mapped_count,
            # What static/js/member-map.js says; {count} is filled in there.
            map_text={
                "loading": gettext("Loading the map…"),
                "loaded": gettext("The map shows {count} members."),
                "failed": gettext(
                    "The map could not be drawn; the tables below list every member."
                ),
                "cluster": gettext("{count} members: zoom in"),
                "zoom_in": gettext("Zoom in"),
                "zoom_out": gettext("Zoom out"),
            },
        )
        return context


class MemberMapDataView(View):
    """The points of the map: one row per current member with coordinates, in one query.

    Compact on purpose (thousands of members): rows of [slug, name, division id, latitude,
    longitude], with the profile address as a pattern to fill in.
    """

    def get(self, request: HttpRequest) -> JsonResponse:
        rows = (
            current_members_on_map()
            .order_by("pk")
            .values_list("slug", "name", "division_id", "latitude", "longitude")
        )
        profile = reverse("members:organisation-detail", kwargs={"slug": "SLUG"})
        return JsonResponse(
            {
                "fields": ["slug", "name", "division", "latitude", "longitude"],
                "profile_url": profile.replace("SLUG", "{slug}"),
                "members": [
                    [slug, name, division_id, round(float(latitude), 4), round(float(longitude), 4)]
                    for slug, name, division_id, latitude, longitude in rows
                ],
            }
        )


# The embeddable badge: its size is fixed, so that the snippet can give width and height.
BADGE_WIDTH = 320
BADGE_HEIGHT = 96
# Name lines, in the width of an average Latin letter at the name's size (wide East Asian
# characters count twice): two lines, then an ellipsis.
BADGE_LINE_WIDTH = 28
BADGE_NAME_LINES = 2
# Minutes, not hours: a lapsed membership shows on embedding sites within five minutes.
BADGE_MAX_AGE = 300
# The badge is a picture: nothing to load, run or frame when it is opened on its own.
BADGE_CSP = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"


def _text_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def badge_name_lines(
    name: str, *, width: int = BADGE_LINE_WIDTH, lines: int = BADGE_NAME_LINES
) -> list[str]:
    """`name` wrapped at word boundaries into at most `lines` lines; "…" ends a cut name."""
    pieces: list[str] = []
    for word in name.split():
        # A word wider than a line (or a name without spaces) is cut into line-wide pieces.
        while _text_width(word) > width:
            cut = len(word)
            while _text_width(word[:cut]) > width:
                cut -= 1
            pieces.append(word[:cut])
            word = word[cut:]
        pieces.append(word)
    wrapped: list[str] = []
    for piece in pieces:
        if wrapped and _text_width(f"{wrapped[-1]} {piece}") <= width:
            wrapped[-1] = f"{wrapped[-1]} {piece}"
        else:
            wrapped.append(piece)
    if len(wrapped) <= lines:
        return wrapped
    kept = wrapped[:lines]
    last = kept[-1]
    while last and _text_width(last) + 1 > width:
        last = last[:-1]
    kept[-1] = f"{last.rstrip(' ,;:–-')}…"
    return kept


def badge_alt(organisation: Organisation) -> str:
    return gettext("%(name)s, member of %(association)s") % {
        "name": organisation.name,
        "association": settings.ASSOCIATION_SHORT_NAME,
    }


def badge_embed(organisation: Organisation, request: HttpRequest) -> dict[str, Any]:
    """The badge as a member's profile shows it, with the HTML to paste into another site."""
    badge_url = reverse("members:organisation-badge", kwargs={"slug": organisation.slug})
    snippet = format_html(
        '<a href="{}"><img src="{}" alt="{}" width="{}" height="{}"></a>',
        request.build_absolute_uri(organisation.get_absolute_url()),
        request.build_absolute_uri(badge_url),
        badge_alt(organisation),
        BADGE_WIDTH,
        BADGE_HEIGHT,
    )
    return {
        "badge_url": badge_url,
        "badge_alt": badge_alt(organisation),
        "badge_width": BADGE_WIDTH,
        "badge_height": BADGE_HEIGHT,
        "badge_snippet": str(snippet),
    }


class OrganisationBadgeView(View):
    """An SVG badge with the organisation's live membership status, for other sites to embed.

    A current member gets the member badge (category and "Member since <year>"); any other
    organisation, lapsed, former, pending or never a member, gets a grey "Not a current member"
    badge rather than an error, so that a badge left on a site after a membership ends tells
    the truth instead of showing a broken image.
    """

    def get(self, request: HttpRequest, slug: str) -> StreamingHttpResponse:
        organisation = get_object_or_404(Organisation.objects.with_membership(), slug=slug)
        is_member = organisation.member_since is not None
        association = settings.ASSOCIATION_SHORT_NAME
        if is_member:
            title = gettext("%(name)s: %(association)s member since %(year)s, %(kind)s") % {
                "name": organisation.name,
                "association": association,
                "year": organisation.member_since.year,
                "kind": organisation.get_kind_display().lower(),
            }
        else:
            title = gettext("%(name)s: not a current %(association)s member") % {
                "name": organisation.name,
                "association": association,
            }
        svg = render_to_string(
            "members/organisation_badge.svg",
            {
                "organisation": organisation,
                "is_member": is_member,
                "title": title,
                "name_lines": badge_name_lines(organisation.name),
                "association": association,
                "width": BADGE_WIDTH,
                "height": BADGE_HEIGHT,
            },
        ).encode()
        # Streamed so that the page cache, which keeps only a few headers of what it stores,
        # leaves the badge alone: every answer must carry its own lifetime, policy and
        # cross-origin permission. One query; the conditional GET still answers 304.
        response = StreamingHttpResponse([svg], content_type="image/svg+xml")
        response["ETag"] = quote_etag(hashlib.sha256(svg).hexdigest()[:32])
        response["Cache-Control"] = f"public, max-age={BADGE_MAX_AGE}"
        response["Content-Security-Policy"] = BADGE_CSP
        # Other sites embed it; a site that isolates itself (COEP) needs this to show it.
        response["Cross-Origin-Resource-Policy"] = "cross-origin"
        return response
