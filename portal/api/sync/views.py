from django.db.models import Q
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets

from core.departures import WATCHED
from core.filters import TombstoneFilter
from core.models import Tombstone
from core.rest.permissions import may_read_private
from core.rest.viewsets import ConditionalMixin, StrictRequestMixin

from .serializers import TombstoneSerializer

# What a staff caller's lists hold besides the public records: only a deletion takes a
# draft, a private agreement or a removed person out of them.
STAFF_REASONS = [Tombstone.Reason.DELETED, Tombstone.Reason.MERGED]


@extend_schema_view(
    list=extend_schema(
        summary="Records that left the lists, for a mirror to drop",
    )
)
class RemovedViewSet(
    StrictRequestMixin, ConditionalMixin, mixins.ListModelMixin, viewsets.GenericViewSet
):
    """Records that left the lists since a moment: deleted, unpublished, made private,
    removed at a person's request, or merged. A mirror kept with `modified_since` reads this
    too, to drop them (see the guide). Oldest first; the same record may be listed again
    if it came back and left once more.

    Anonymous callers and partner tokens see the records that were public; a staff token
    that may read a list's private records is told only of deletions in that list, drafts
    and private records included.
    """

    serializer_class = TombstoneSerializer
    filterset_class = TombstoneFilter
    filter_backends = [DjangoFilterBackend]
    ordering = ["removed_at", "pk"]

    def get_queryset(self):
        seen = Q()
        for resource, watched in WATCHED.items():
            if may_read_private(self.request, watched.model):
                seen |= Q(resource=resource, reason__in=STAFF_REASONS)
            else:
                seen |= Q(resource=resource, was_public=True)
        return Tombstone.objects.filter(seen).order_by("removed_at", "pk")


ROUTES = [("removed", RemovedViewSet, "removed")]
