from rest_framework import serializers

from config.rest.serializers import PortalSerializer, WebUrlField, api_url

from ..models import Division, Topic


class TopicSerializer(PortalSerializer):
    url = api_url("api:topic-detail")
    web_url = WebUrlField()
    organisation_count = serializers.IntegerField(read_only=True)
    session_count = serializers.IntegerField(read_only=True)
    agreement_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Topic
        fields = [
            "id",
            "slug",
            "name",
            "description",
            "organisation_count",
            "session_count",
            "agreement_count",
            "url",
            "web_url",
            "created",
            "modified",
        ]


class DivisionSerializer(PortalSerializer):
    url = api_url("api:division-detail")
    web_url = WebUrlField()
    member_count = serializers.IntegerField(read_only=True)
    conference_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Division
        fields = [
            "id",
            "slug",
            "name",
            "description",
            "website",
            "member_count",
            "conference_count",
            "url",
            "web_url",
            "created",
            "modified",
        ]
