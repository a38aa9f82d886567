from config.rest.viewsets import PortalViewSet

from ..models import Division, Topic
from .serializers import DivisionSerializer, TopicSerializer


class TopicViewSet(PortalViewSet):
    """Topics: the shared vocabulary of organisations, sessions and agreements."""

    serializer_class = TopicSerializer
    search_fields = ["name", "description"]
    ordering_fields = ["name", "modified"]

    def get_queryset(self):
        return Topic.objects.with_counts()


class DivisionViewSet(PortalViewSet):
    """Divisions: the association's regional chapters."""

    serializer_class = DivisionSerializer
    search_fields = ["name", "description"]
    ordering_fields = ["name", "modified"]

    def get_queryset(self):
        return Division.objects.with_counts()


ROUTES = [
    ("divisions", DivisionViewSet, "division"),
    ("topics", TopicViewSet, "topic"),
]
