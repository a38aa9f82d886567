import datetime

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from conferences.models import (
    Appearance,
    Award,
    Conference,
    ConferenceHost,
    Decision,
    Quote,
    Session,
)
from conferences.services import create_conference, update_conference
from core.rest.serializers import (
    REFERENCE_SCHEMA,
    ApiUrlField,
    ExpandedLinkSerializer,
    Expansion,
    ImageField,
    NestedField,
    PortalSerializer,
    ReferenceField,
    WebUrlField,
    absolute,
    api_url,
    expand_to,
    reverse_one,
    service_errors,
)
from members.models import Division, Organisation, Person, Topic
from portal.api.members.serializers import (
    CountryNameField,
    division_expansion,
    topics_expansion,
)


class LocalDateTimeField(serializers.DateTimeField):
    """A moment with the offset of its own time zone (the conference's), not the server's."""

    def enforce_timezone(self, value: datetime.datetime) -> datetime.datetime:
        return value


# Conferences


class ConferenceHostSerializer(PortalSerializer):
    organisation = ReferenceField("api:organisation-detail", read_only=True)

    class Meta:
        model = ConferenceHost
        fields = ["organisation", "role"]
        read_only_fields = fields


class ExpandedConferenceHostSerializer(ExpandedLinkSerializer):
    expanded_fields = {
        "organisation": NestedField("portal.api.members.serializers.OrganisationSerializer")
    }

    class Meta(ConferenceHostSerializer.Meta):
        pass


def load_hosts(conferences):
    hosts = ConferenceHost.objects.prefetch_related(
        Prefetch("organisation", Organisation.objects.for_api())
    )
    return conferences.prefetch_related(
        Prefetch("host_links", hosts, to_attr="expanded_host_links")
    )


class ConferenceSerializer(PortalSerializer):
    """A conference as lists show it. Reads what `Conference.objects.for_api()` loads."""

    country_name = CountryNameField("country")
    division = ReferenceField("api:division-detail", read_only=True, allow_null=True)
    hosts = ConferenceHostSerializer(
        source="host_list",
        many=True,
        read_only=True,
        help_text=_("Host organisations in the organisers' order, with their role."),
    )
    topics = ReferenceField("api:topic-detail", source="topic_list", many=True, read_only=True)
    # Not a URI when empty, so not described as one.
    website = serializers.CharField(
        read_only=True, help_text=_("The conference's own website; empty when there is none.")
    )
    cover_image = ImageField(help_text=_("Uploaded by staff in the admin."))
    url = api_url("api:conference-detail")
    web_url = WebUrlField()
    ics_url = ApiUrlField(
        "api:conference-detail",
        query="format=ics",
        help_text=_("The programme as an iCalendar file."),
    )

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
            "is_published",
            "registration_url",
            "division",
            "hosts",
            "topics",
            "participant_count",
            "participant_count_is_minimum",
            "website",
            "cover_image",
            "url",
            "web_url",
            "ics_url",
            "created",
            "modified",
        ]
        read_only_fields = fields
        expansions = {
            "division": division_expansion(_("the division as in /divisions/")),
            "hosts": Expansion(
                serializer="portal.api.conferences.serializers.ExpandedConferenceHostSerializer",
                load=load_hosts,
                many=True,
                source="expanded_host_links",
                help_text=_("each host's organisation as in /organisations/"),
            ),
            "topics": topics_expansion(_("the topics as in /topics/")),
        }


class SessionReferenceSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    url = api_url("api:session-detail", lookup="pk")


class ConferenceSessionSerializer(PortalSerializer):
    """A session in a conference's programme; /sessions/ has the whole record."""

    starts_at = LocalDateTimeField(read_only=True, allow_null=True)
    ends_at = LocalDateTimeField(read_only=True, allow_null=True)
    url = api_url("api:session-detail", lookup="pk")

    class Meta:
        model = Session
        fields = [
            "id",
            "kind",
            "title",
            "day",
            "start_time",
            "end_time",
            "starts_at",
            "ends_at",
            "location",
            "url",
        ]
        read_only_fields = fields


class ConferenceDecisionSerializer(PortalSerializer):
    host_organisation = ReferenceField("api:organisation-detail", read_only=True, allow_null=True)
    resulting_conference = ReferenceField(
        "api:conference-detail", label_attribute="title", read_only=True, allow_null=True
    )
    # A plain code: the country list is described once, on the conference's own country.
    host_country = serializers.CharField(read_only=True)

    class Meta:
        model = Decision
        fields = [
            "id",
            "kind",
            "title",
            "text",
            "host_city",
            "host_country",
            "host_organisation",
            "host_year",
            "resulting_conference",
        ]
        read_only_fields = fields


class ConferenceAwardSerializer(PortalSerializer):
    recipient_person = ReferenceField("api:person-detail", read_only=True, allow_null=True)
    recipient_organisation = ReferenceField(
        "api:organisation-detail", read_only=True, allow_null=True
    )

    class Meta:
        model = Award
        fields = ["id", "name", "recipient_person", "recipient_organisation", "citation"]
        read_only_fields = fields


class ConferenceQuoteSerializer(PortalSerializer):
    person = ReferenceField("api:person-detail", read_only=True)
    session = SessionReferenceSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Quote
        fields = ["id", "text", "person", "session"]
        read_only_fields = fields


@extend_schema_field({**REFERENCE_SCHEMA, "nullable": True})
class EditionField(serializers.Field):
    """The previous or next edition of the series (`Conference.editions`)."""

    def __init__(self, direction: str, **kwargs):
        self.direction = direction
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, conference):
        edition = getattr(conference.editions, self.direction)
        if edition is None:
            return None
        return {
            "id": edition.pk,
            "slug": edition.slug,
            "name": edition.title,
            "url": absolute(
                self.context, reverse_one("api:conference-detail", "slug", edition.slug)
            ),
        }


class ConferenceDetailSerializer(ConferenceSerializer):
    """The whole conference. Reads what `Conference.objects.for_api_detail()` loads."""

    # One record: its hosts and topics are read through their managers, as its page does.
    hosts = ConferenceHostSerializer(
        source="host_links",
        many=True,
        read_only=True,
        help_text=_("Host organisations in the organisers' order, with their role."),
    )
    topics = ReferenceField("api:topic-detail", many=True, read_only=True)
    participating_organisations = ReferenceField(
        "api:organisation-detail",
        source="participants",
        many=True,
        read_only=True,
        help_text=_("Organisations reported as taking part, besides the hosts."),
    )
    sessions = ConferenceSessionSerializer(
        many=True, read_only=True, help_text=_("The programme, day by day.")
    )
    decisions = ConferenceDecisionSerializer(many=True, read_only=True, source="decision_list")
    awards = ConferenceAwardSerializer(many=True, read_only=True, source="award_list")
    quotes = ConferenceQuoteSerializer(many=True, read_only=True, source="quote_list")
    agreements = ReferenceField(
        "api:agreement-detail",
        source="public_agreements",
        label_attribute="title",
        many=True,
        read_only=True,
        help_text=_("Public agreements signed at the conference."),
    )
    previous_edition = EditionField(
        "previous", help_text=_("The edition before, in the same series (world or division).")
    )
    next_edition = EditionField(
        "next", help_text=_("The edition after, in the same series (world or division).")
    )

    class Meta(ConferenceSerializer.Meta):
        fields = [
            *ConferenceSerializer.Meta.fields,
            "description",
            "report",
            "participating_organisations",
            "sessions",
            "decisions",
            "awards",
            "quotes",
            "agreements",
            "previous_edition",
            "next_edition",
        ]
        read_only_fields = fields


class ConferenceWriteSerializer(PortalSerializer):
    """What staff tokens create and update. Cover images are uploaded in the admin."""

    division = ReferenceField(
        "api:division-detail",
        queryset=Division.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("The division's slug; division conferences need one, world ones none."),
    )
    topics = ReferenceField(
        "api:topic-detail",
        queryset=Topic.objects.all(),
        many=True,
        required=False,
        help_text=_("Topic slugs."),
    )

    class Meta:
        model = Conference
        fields = [
            "kind",
            "edition",
            "title",
            "slug",
            "theme",
            "description",
            "start_date",
            "end_date",
            "date_precision",
            "city",
            "country",
            "venue",
            "time_zone",
            "status",
            "is_published",
            "registration_url",
            "division",
            "topics",
            "participant_count",
            "participant_count_is_minimum",
            "website",
            "report",
        ]
        # The model's constraints are checked by full_clean() in validate(); DRF's own
        # unique-together check would wrongly require a division of world conferences.
        validators = []

    def create(self, validated_data):
        with service_errors():
            return create_conference(**validated_data)

    def update(self, instance, validated_data):
        with service_errors():
            return update_conference(conference=instance, **validated_data)


# Sessions


class SessionSpeakerSerializer(PortalSerializer):
    person = ReferenceField("api:person-detail", read_only=True)

    class Meta:
        model = Appearance
        fields = ["person", "role", "capacity"]
        read_only_fields = fields


class ExpandedSpeakerSerializer(ExpandedLinkSerializer):
    expanded_fields = {"person": NestedField("portal.api.members.serializers.PersonSerializer")}

    class Meta(SessionSpeakerSerializer.Meta):
        pass


def load_speakers(sessions):
    appearances = Appearance.objects.prefetch_related(Prefetch("person", Person.objects.for_api()))
    return sessions.prefetch_related(
        Prefetch("appearances", appearances, to_attr="expanded_appearances")
    )


class SessionSerializer(PortalSerializer):
    """A programme item. Reads what `Session.objects.for_api()` loads."""

    conference = ReferenceField("api:conference-detail", label_attribute="title", read_only=True)
    starts_at = LocalDateTimeField(
        read_only=True,
        allow_null=True,
        help_text=_("In the conference's time zone; null for a whole-day item."),
    )
    ends_at = LocalDateTimeField(
        read_only=True,
        allow_null=True,
        help_text=_("In the conference's time zone; null when no end time is announced."),
    )
    topics = ReferenceField("api:topic-detail", source="topic_list", many=True, read_only=True)
    speakers = SessionSpeakerSerializer(source="appearances", many=True, read_only=True)
    organisations_visited = ReferenceField(
        "api:organisation-detail", source="visited_list", many=True, read_only=True
    )
    url = api_url("api:session-detail", lookup="pk")
    web_url = WebUrlField()

    class Meta:
        model = Session
        fields = [
            "id",
            "conference",
            "kind",
            "is_published",
            "title",
            "description",
            "day",
            "start_time",
            "end_time",
            "starts_at",
            "ends_at",
            "location",
            "topics",
            "speakers",
            "organisations_visited",
            "url",
            "web_url",
            "created",
            "modified",
        ]
        read_only_fields = fields
        expansions = {
            "conference": Expansion(
                serializer="portal.api.conferences.serializers.ConferenceSerializer",
                load=expand_to("conference", Conference.objects.for_api(), "expanded_conference"),
                source="expanded_conference",
                help_text=_("the conference as in /conferences/"),
            ),
            "speakers": Expansion(
                serializer="portal.api.conferences.serializers.ExpandedSpeakerSerializer",
                load=load_speakers,
                many=True,
                source="expanded_appearances",
                help_text=_("each speaker's person as in /people/"),
            ),
        }
