import hashlib
from typing import Any

from django.conf import settings
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import quote_etag
from django.utils.translation import gettext
from django.views import View
from django.views.decorators.cache import cache_control
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_safe
from django.views.generic import ListView
from django_countries import countries

from core.db.counts import count_of
from core.dependencies import PreciseCacheMixin
from core.page_cache import negotiated_coding
from core.pagination import CappedPaginator, KeptTotalMixin

from .badges import (
    BADGE_CSP,
    BADGE_HEIGHT,
    BADGE_MAX_AGE,
    BADGE_WIDTH,
    badge_name_lines,
)
from .directory import KeptDirectoryCounts
from .filters import OrganisationFilter
from .logos import CARD_LOGO_BOX, fit_logos
from .map_points import current_members_on_map, map_points_body
from .models import Division, Membership, Organisation, Topic
from .palette import NO_DIVISION_COLOUR, coloured_divisions
from .world_outline import world_outline


class OrganisationListView(KeptTotalMixin, PreciseCacheMixin, ListView):
    """The member directory: current members only, searchable, with counted filters."""

    template_name = "members/organisation_list.html"
    paginate_by = 24
    # Which organisations are current members, and the filters' counts.
    cache_depends_on = (Organisation, Membership, Division, Topic)
    paginator_class = CappedPaginator

    def get_queryset(self):
        self.filterset = OrganisationFilter(
            self.request.GET, queryset=Organisation.objects.for_directory(), request=self.request
        )
        self.filterset.kept = KeptDirectoryCounts(self.filterset.chosen_values())
        return self.filterset.qs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        self.filterset.count_facets()
        fit_logos(context["object_list"], CARD_LOGO_BOX)
        context["filter"] = self.filterset
        return context


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


def country_bubbles(by_country: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The map's picture before (or without) Leaflet: a circle per country with members, at
    the country's centre, sized by their number (its area proportional to it)."""
    shapes = world_outline().countries
    most = max((row["count"] for row in by_country), default=1)
    bubbles = []
    for row in by_country:
        shape = shapes.get(row["code"])
        if shape is None:
            continue
        x, y = shape.centre
        radius = round(9 + 21 * (row["count"] / most) ** 0.5, 1)
        bubbles.append({"x": x, "y": y, "r": radius, "count": row["count"], "name": row["name"]})
    # Small circles last, drawn on top of large neighbours.
    return sorted(bubbles, key=lambda bubble: -bubble["r"])


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
        outline = world_outline()
        context.update(
            countries=by_country,
            bubbles=country_bubbles(by_country),
            outline_size=(outline.width, outline.height),
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


@require_safe
@gzip_page
@cache_control(public=True, max_age=86400)
def world_outline_svg(request: HttpRequest) -> HttpResponse:
    """The country outlines under the map's picture (built once, see world_outline)."""
    return HttpResponse(world_outline().svg, content_type="image/svg+xml")


class MemberMapDataView(View):
    """The points of the map: one row per current member with coordinates, as the worker
    keeps them (members/map_points.py), in one query.

    Compact on purpose (thousands of members): rows of [slug, name, division id, latitude,
    longitude], with the profile address as a pattern to fill in.
    """

    def get(self, request: HttpRequest) -> HttpResponse:
        coding = negotiated_coding(request)
        body, etag = map_points_body(coding)
        response = HttpResponse(body, content_type="application/json")
        response["ETag"] = etag
        if coding != "identity":
            response["Content-Encoding"] = coding
        patch_vary_headers(response, ("Accept-Encoding",))
        return response


# The embeddable badge: its size is fixed, so that the snippet can give width and height.
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
