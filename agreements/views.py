from collections import Counter
from typing import Any
from urllib.parse import urlencode

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.views.generic import DetailView
from django_filters.views import FilterView
from rest_framework.exceptions import AuthenticationFailed

from core.aggregates import derived
from core.countries import country_name
from core.dates import date_text
from core.dependencies import PreciseCacheMixin
from core.pagination import DeepPaginator
from core.rest.authentication import ApiTokenAuthentication
from core.routes import path_maker
from members.models import Contact, Organisation, Topic
from members.palette import NO_DIVISION_COLOUR, coloured_divisions

from .confirmations import has_confirmations, party_states
from .filters import AgreementFilter, NetworkPageFilter
from .models import DOCUMENT_FOLDER, Agreement, AgreementDocument, AgreementParty
from .network import (
    KEPT_LIMITS,
    Network,
    NetworkNotCounted,
    cooperation_network,
    is_unfiltered,
    kept_network,
    kept_public_network,
)
from .network_drawing import draw_network, svg_links, svg_nodes


class AgreementListView(PreciseCacheMixin, FilterView):
    filterset_class = AgreementFilter
    queryset = Agreement.objects.public().for_list()
    template_name = "agreements/agreement_list.html"
    context_object_name = "agreements"
    # Which agreements are listed, and the filters' choices and counts.
    cache_depends_on = (Agreement, AgreementParty, Organisation, Topic)
    paginate_by = 20
    paginator_class = DeepPaginator

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        self.filterset.offer_parties(context["agreements"])
        self.filterset.offer_topics()
        label_list_items(context["agreements"])
        return context


def label_list_items(agreements) -> None:
    """What `{% agreement_item %}` shows of each agreement, its parties and focus
    areas, worked out once for the list: the labels of kind and status translated once, the
    addresses reversed once (`page_path`, `kind_label`, `status_label`)."""
    kinds = {value: str(label) for value, label in Agreement.Kind.choices}
    statuses = {value: str(label) for value, label in Agreement.Status.choices}
    agreement_path = path_maker("agreements:agreement-detail", "slug")
    organisation_path = path_maker("members:organisation-detail", "slug")
    topic_path = path_maker("members:topic-detail", "slug")
    for agreement in agreements:
        agreement.page_path = agreement_path(agreement.slug)
        agreement.kind_label = kinds.get(agreement.kind, agreement.kind)
        agreement.status_label = statuses.get(agreement.status, agreement.status)
        for party in agreement.parties.all():
            party.organisation.page_path = organisation_path(party.organisation.slug)
        for topic in agreement.topics.all():
            topic.page_path = topic_path(topic.slug)


def network_table_rows(network: Network) -> str:
    """The rows of the network page's table, most agreements first, written at once (the
    template's loop cost more than the rest of the page): escaped as the template would."""
    organisation_path = path_maker("members:organisation-detail", "slug")
    yes, no = _("Yes"), _("No")
    return mark_safe(
        "\n".join(
            format_html(
                '<tr>\n<th scope="row"><a href="{}">{}</a></th>\n<td>{}</td>\n<td>{}</td>\n'
                '<td>{}</td>\n<td class="numeric">{}</td>\n</tr>',
                organisation_path(node.slug),
                node.name,
                node.division.name if node.division else "",
                country_name(node.country),
                yes if node.is_member else no,
                node.agreement_count,
            )
            for node in network.nodes_by_agreements
        )
    )


class AgreementNetworkView(FilterView):
    """The cooperation network: a graph drawn on the server (`draw_network`), made interactive
    in the browser from the API's network, and the same organisations as a table."""

    filterset_class = NetworkPageFilter
    queryset = Agreement.objects.public()
    template_name = "agreements/network.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if self.filterset.errors:
            return context
        # An unbound form (no filters at all) has no cleaned data.
        cleaned_data = getattr(self.filterset.form, "cleaned_data", {})
        limit = self.filterset.node_limit
        kept = None
        if is_unfiltered(cleaned_data) and limit in KEPT_LIMITS:
            try:
                kept = kept_public_network(limit)
            except NetworkNotCounted:
                # Being counted by the worker: the page says so, and is not kept.
                context["network_pending"] = True
                return context
            network = kept_network(kept)
        else:
            network = cooperation_network(self.object_list, limit=limit)
        context["network"] = network
        context["legend"] = self.legend(network)
        colours = {entry["slug"]: entry["colour"] for entry in context["legend"]}
        if kept is None:
            context.update(self.drawn(network, colours))
        else:
            # The kept network is drawn once per count stored and division colours.
            context.update(
                derived(
                    kept,
                    "network-page",
                    lambda _payload: self.drawn(network, colours),
                    tuple(colours.items()),
                )
            )
        context["api_url"] = self.api_url(cleaned_data)
        context["network_text"] = {
            "drawing": _("Drawing the graph…"),
            "drawn": _(
                "{nodes} organisations and {links} links between them. Select an organisation "
                "to open its page."
            ),
            "failed": _(
                "The graph could not be drawn; the table below lists the same organisations."
            ),
        }
        return context

    @staticmethod
    def drawn(network: Network, colours: dict[str, str]) -> dict[str, str]:
        """The graph drawn on the server (`draw_network`) and the table's rows."""
        drawing = draw_network(
            [
                (
                    node.slug,
                    node.name,
                    node.division.slug if node.division else "",
                    colours.get(node.division.slug if node.division else "", NO_DIVISION_COLOUR),
                    node.agreement_count,
                )
                for node in network.nodes
            ],
            Counter(tuple(sorted((edge.source, edge.target))) for edge in network.edges),
        )
        return {
            "drawing": drawing,
            "drawing_links": svg_links(drawing),
            "drawing_nodes": svg_nodes(drawing),
            "network_rows": network_table_rows(network),
        }

    def api_url(self, cleaned_data: dict[str, Any]) -> str:
        """The API's network with the same filters and size, for the graph."""
        query = {"limit": self.filterset.node_limit}
        for name, value in cleaned_data.items():
            if value not in (None, ""):
                query[name] = getattr(value, "slug", value)
        return f"{reverse('api:network-list')}?{urlencode(query)}"

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if context.get("network_pending"):
            # Not counted yet: not kept, so that the count shows as soon as it is made. A
            # network counted before the last change is kept until the worker counts it again
            # (the page depends on the kept count, core/aggregates.py).
            patch_cache_control(response, no_store=True)
        return response

    @staticmethod
    def legend(network: Network) -> list[dict[str, Any]]:
        """The divisions of the organisations shown, each with its colour and number of them."""
        shown = Counter(node.division_id for node in network.nodes)
        legend = [
            {
                "slug": division.slug,
                "name": division.name,
                "colour": division.colour,
                "count": shown[division.pk],
            }
            for division in coloured_divisions()
            if shown[division.pk]
        ]
        if shown[None]:
            legend.append(
                {
                    "slug": "",
                    "name": _("No division"),
                    "colour": NO_DIVISION_COLOUR,
                    "count": shown[None],
                }
            )
        return legend


class AgreementDetailView(PreciseCacheMixin, DetailView):
    queryset = Agreement.objects.public().for_detail()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        agreement = self.object
        context["parties"] = parties = list(agreement.parties.all())
        earlier, later = agreement.chain()
        # A visitor's page: the private or draft agreements of the chain are left out.
        shown = [link for link in [*earlier, *later] if link.is_shown_to_visitors]
        if shown:
            context["chain"] = [
                link for link in [*earlier, agreement, *later] if link.is_shown_to_visitors
            ]
        # Staff see every document (marked), visitors the public ones.
        if self.request.user.has_perm("agreements.view_agreement"):
            context["documents"] = list(agreement.documents.all())
        else:
            context["documents"] = agreement.public_documents
        context["meta_description"] = agreement.summary or self.describe(agreement, parties)
        if has_confirmations(agreement):
            states = party_states(agreement)
            context["confirmed"] = [state for state in states if state.is_confirmed]
            context["unconfirmed"] = [state for state in states if not state.is_confirmed]
        return context

    @staticmethod
    def describe(agreement: Agreement, parties: list) -> str:
        names = get_text_list([party.organisation.name for party in parties], _("and"))
        values = {"kind": agreement.get_kind_display(), "parties": names}
        if agreement.signed_on:
            values["date"] = date_text(agreement.signed_on)
            return _("%(kind)s between %(parties)s, signed on %(date)s.") % values
        return _("%(kind)s between %(parties)s.") % values


def may_read_private_documents(request) -> bool:
    """Staff who may view agreements: logged in to the admin, or with a staff API token."""
    if request.user.has_perm("agreements.view_agreement"):
        return True
    try:
        caller = ApiTokenAuthentication().authenticate(request)
    except AuthenticationFailed:
        return False
    return caller is not None and caller[0].has_perm("agreements.view_agreement")


def is_party_contact(request, agreement: Agreement) -> bool:
    """A member contact of one of the agreement's parties (the members' area links to it)."""
    return (
        Contact.objects.of_user(request.user)
        .filter(organisation__agreement_parties__agreement=agreement)
        .exists()
    )


def agreement_document(request, filename: str):
    """One of an agreement's documents: to anyone when it and its agreement are public, else to
    staff and to the contacts of its parties only.

    Anyone else gets the same 404 as for a file that does not exist.
    """
    if "\x00" in filename:  # no stored name has one; the database would refuse to compare it
        raise Http404
    document = get_object_or_404(
        AgreementDocument.objects.select_related("agreement"),
        file=f"{DOCUMENT_FOLDER}/{filename}",
    )
    agreement = document.agreement
    public = document.is_public and (Agreement.objects.public().filter(pk=agreement.pk).exists())
    if not (public or may_read_private_documents(request) or is_party_contact(request, agreement)):
        raise Http404
    try:
        file = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(file, content_type="application/pdf", filename=document.download_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "public, max-age=3600" if public else "private, no-store"
    return response
