from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from drf_standardized_errors.openapi_validation_errors import extend_validation_errors
from rest_framework import mixins, viewsets
from rest_framework.response import Response
from rest_framework.settings import api_settings

from agreements.filters import AgreementApiFilter, NetworkFilter
from agreements.models import Agreement, AgreementDocument, AgreementParty
from agreements.network import (
    KEPT_LIMITS,
    NetworkNotCounted,
    cooperation_network,
    is_unfiltered,
    kept_public_network,
)
from core.rest.filters import (
    SearchFilter,
)
from core.rest.grouping import by_choice, by_country, by_record, by_year
from core.rest.pagination import DeepPagePagination
from core.rest.permissions import may_read_private
from core.rest.renderers import JSONRenderer
from core.rest.viewsets import ConditionalMixin, PortalWriteViewSet, StrictRequestMixin
from members.models import Organisation, Topic

from . import rows
from .serializers import (
    AgreementCSVSerializer,
    AgreementDetailSerializer,
    AgreementSerializer,
    AgreementWriteSerializer,
    NetworkSerializer,
    kept_network_data,
)

AGREEMENT_SEARCH_FIELDS = ["title", "summary", "parties__organisation__name"]


def visible_agreements(request):
    """Staff who may view agreements in the admin see every one; everyone else the public ones."""
    if may_read_private(request, Agreement):
        return Agreement.objects.all()
    return Agreement.objects.public()


WRITES = ["create", "update", "partial_update"]


@extend_validation_errors(["too_few_parties", "duplicate_party", "invalid"], "parties", WRITES)
@extend_validation_errors(["required", "unique", "invalid"], "slug", WRITES)
# The model's own checks (full_clean), as the admin runs them.
@extend_validation_errors(["invalid"], "signed_on", WRITES)
@extend_validation_errors(["invalid"], "expires_on", WRITES)
@extend_validation_errors(["invalid"], "terminated_on", WRITES)
@extend_validation_errors(["invalid"], "termination_reason", WRITES)
@extend_validation_errors(["invalid"], "follows", WRITES)
@extend_validation_errors(["invalid"], "relation", WRITES)
@extend_validation_errors(["invalid"], "parties_signed_on", WRITES)
@extend_validation_errors(["invalid"], "non_field_errors", WRITES)
@extend_schema_view(
    create=extend_schema(responses={201: AgreementDetailSerializer}),
    update=extend_schema(responses={200: AgreementDetailSerializer}),
    partial_update=extend_schema(responses={200: AgreementDetailSerializer}),
)
class AgreementViewSet(PortalWriteViewSet):
    """Cooperation agreements between organisations.

    Anonymous callers and partner tokens see the public agreements only, and of their documents
    the public ones.

    Pages: `count` is exact up to 10,000 matching agreements; past that it says 10,000 and
    `count_capped` is true. Every page is served all the same, `next` linking to the following
    one while agreements remain; a deep page (`?page=150`) reads no more than the keys of the
    agreements before it.
    """

    serializer_class = AgreementSerializer
    list_rows = rows.AgreementRows
    detail_serializer_class = AgreementDetailSerializer
    write_serializer_class = AgreementWriteSerializer
    filterset_class = AgreementApiFilter
    pagination_class = DeepPagePagination
    cache_precise_actions = ("retrieve",)
    cache_list_depends_on = (Agreement, AgreementParty, AgreementDocument, Organisation, Topic)
    search_fields = AGREEMENT_SEARCH_FIELDS
    ordering_fields = ["signed_on", "title", "modified"]
    group_by_fields = {
        "year": by_year("signed_on", description=gettext_lazy("the year it was signed")),
        "country": by_country(
            "parties__organisation__country",
            description=gettext_lazy("each country of its parties"),
            many=True,
        ),
        "division": by_record(
            "parties__organisation__division",
            description=gettext_lazy("each division of its parties"),
            many=True,
        ),
        "kind": by_choice("kind", Agreement.Kind.choices, description=gettext_lazy("its kind")),
        "status": by_choice(
            "status", Agreement.Status.choices, description=gettext_lazy("its status")
        ),
        "topic": by_record(
            "topics", description=gettext_lazy("each of its focus areas"), many=True
        ),
    }

    def get_queryset(self):
        return visible_agreements(self.request).for_api()

    def get_serializer_class(self):
        renderer = getattr(self.request, "accepted_renderer", None)
        if self.action == "list" and renderer is not None and renderer.format == "csv":
            return AgreementCSVSerializer
        return super().get_serializer_class()


# When to ask again for a network being counted (the worker takes seconds to count it).
RETRY_NETWORK_AFTER_SECONDS = 60


def network_being_counted() -> Response:
    """503 with Retry-After, in the API's error shape: an expected wait, not a server error
    (not reported as one)."""
    detail = gettext_lazy(
        "The network of all agreements is being counted: ask again in a minute, or filter it."
    )
    response = Response(
        {
            "type": "server_error",
            "errors": [{"code": "network_being_counted", "detail": str(detail), "attr": None}],
        },
        status=503,
        headers={"Retry-After": str(RETRY_NETWORK_AFTER_SECONDS)},
    )
    patch_cache_control(response, no_store=True)
    return response


class KeptFilterBackend(DjangoFilterBackend):
    """Keeps the checked FilterSet on the view, for the values it holds besides filters."""

    def get_filterset(self, request, queryset, view):
        view.filterset = super().get_filterset(request, queryset, view)
        return view.filterset


@extend_validation_errors(["before_year_from"], "year_to", ["list"])
@extend_schema(
    responses=NetworkSerializer,
    description=gettext_lazy(
        "The cooperation network of the agreements that match the filters (not paged): "
        "organisations as nodes, and for each agreement an edge between every two of its "
        "parties (one edge for two parties, three for three); a chain of renewals makes one edge, "
        "from its latest agreement, and an amendment none. The graph holds the `limit` "
        "organisations that signed the most of these agreements and the edges among them; "
        "`organisation_count` and `agreement_count` give the whole. Drafts and non-public "
        "agreements are left out, except for staff tokens. While the network of all agreements "
        "has not been counted yet (a new database with many agreements), the unfiltered network "
        "answers 503 with `Retry-After`: the worker is counting it."
    ),
)
class NetworkViewSet(
    StrictRequestMixin, ConditionalMixin, mixins.ListModelMixin, viewsets.GenericViewSet
):
    """The cooperation network: organisations as nodes, agreements as edges.

    Only a list: no record has its own address here. JSON only, not paged, at most `limit`
    nodes, and built in a fixed number of queries.
    """

    serializer_class = NetworkSerializer
    filterset_class = NetworkFilter
    filter_backends = [KeptFilterBackend, SearchFilter]
    search_fields = AGREEMENT_SEARCH_FIELDS
    pagination_class = None
    renderer_classes = [JSONRenderer]

    def get_queryset(self):
        return visible_agreements(self.request)

    def list(self, request, *args, **kwargs):
        agreements = self.filter_queryset(self.get_queryset())
        limit = self.filterset.node_limit
        if (
            limit in KEPT_LIMITS
            and is_unfiltered(self.filterset.form.cleaned_data)
            and not request.query_params.get(api_settings.SEARCH_PARAM)
            and not may_read_private(request, Agreement)
        ):
            try:
                kept = kept_public_network(limit)
            except NetworkNotCounted:
                return network_being_counted()
            response = Response(kept_network_data(kept.payload, self.get_serializer_context()))
            if kept.is_lagging:
                # Counted before the last change: not kept in the cache (see ConditionalMixin).
                patch_cache_control(response, no_store=True)
            return response
        network = cooperation_network(agreements, limit=limit)
        return Response(self.get_serializer(network).data)


ROUTES = [
    ("agreements", AgreementViewSet, "agreement"),
    ("network", NetworkViewSet, "network"),
]
