from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from config.rest.serializers import (
    PortalSerializer,
    ReferenceField,
    WebUrlField,
    absolute,
    api_url,
)

from ..models import Conference, ConferenceHost


@extend_schema_field({"type": "string", "format": "uri"})
class CalendarUrlField(serializers.Field):
    """The record's iCalendar file: its API address with ?format=ics."""

    def __init__(self, view_name: str, lookup: str = "slug", **kwargs):
        self.view_name = view_name
        self.lookup = lookup
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, obj):
        url = reverse(self.view_name, kwargs={self.lookup: getattr(obj, self.lookup)})
        return absolute(self.context, f"{url}?format=ics")


class ConferenceHostSerializer(PortalSerializer):
    organisation = ReferenceField("api:organisation-detail", read_only=True)

    class Meta:
        model = ConferenceHost
        fields = ["organisation", "role"]


class ConferenceSerializer(PortalSerializer):
    """A conference as lists show it; related records are references."""

    country_name = serializers.CharField(source="country.name", read_only=True)
    division = ReferenceField("api:division-detail", read_only=True)
    hosts = ConferenceHostSerializer(source="host_links", many=True, read_only=True)
    topics = ReferenceField("api:topic-detail", many=True, read_only=True)
    cover_image = serializers.ImageField(read_only=True, use_url=True)
    url = api_url("api:conference-detail")
    web_url = WebUrlField()
    ics_url = CalendarUrlField("api:conference-detail")

    class Meta:
        model = Conference
        fields = [
            "id",
            "slug",
            "kind",
            "edition",
            "title",
            "theme",
            "start_date",
            "end_date",
            "date_precision",
            "city",
            "country",
            "country_name",
            "venue",
            "time_zone",
            "status",
            "division",
            "hosts",
            "topics",
            "participant_count",
            "participant_count_is_minimum",
            "website",
            "cover_image",
            "cover_width",
            "cover_height",
            "url",
            "web_url",
            "ics_url",
            "created",
            "modified",
        ]
        read_only_fields = fields
