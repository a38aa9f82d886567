from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from conferences.models import Appearance
from core.countries import country_name
from core.rest.serializers import (
    ColumnsRead,
    Expansion,
    ImageField,
    LinkedReferenceField,
    PortalSerializer,
    ReferenceField,
    WebUrlField,
    api_url,
    expand_to,
    service_errors,
)
from members.models import Division, Membership, Office, Organisation, Person, Topic
from members.services import create_organisation, create_person, update_organisation, update_person
from portal import selectors


class CountryNameField(serializers.CharField):
    """The name of the country in `source` (a country field), in the active language, from the
    names translated once per language (`core.countries.country_name`)."""

    def __init__(self, source: str, **kwargs):
        super().__init__(source=source, read_only=True, **kwargs)

    def to_representation(self, country) -> str:
        return country_name(country.code or "")


def division_expansion(help_text: str) -> Expansion:
    """`?expand=division`: the record's division as /divisions/ shows it."""
    return Expansion(
        serializer="portal.api.members.serializers.DivisionSerializer",
        load=expand_to("division", selectors.divisions_with_counts, "expanded_division"),
        source="expanded_division",
        help_text=help_text,
    )


def topics_expansion(help_text: str) -> Expansion:
    """`?expand=topics`: the record's topics as /topics/ shows them."""
    return Expansion(
        serializer="portal.api.members.serializers.TopicSerializer",
        load=expand_to("topics", selectors.topics_with_counts(), "expanded_topics"),
        many=True,
        source="expanded_topics",
        help_text=help_text,
    )


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
        read_only_fields = fields


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
        read_only_fields = fields


class CurrentMembershipSerializer(serializers.Serializer):
    """The membership running today, from `Organisation.objects.with_membership()`."""

    category = serializers.ChoiceField(
        choices=Membership.Category.choices, source="membership_category"
    )
    member_since = serializers.DateField()

    def to_representation(self, organisation):
        if getattr(organisation, "membership_category", None) is None:
            return None
        return super().to_representation(organisation)


class OrganisationSerializer(PortalSerializer):
    """An organisation, member or not. Reads what `Organisation.objects.for_api()` loads."""

    country_name = CountryNameField("country")
    logo = ImageField(help_text=_("Uploaded by staff in the admin."))
    division = ReferenceField("api:division-detail", read_only=True, allow_null=True)
    topics = ReferenceField("api:topic-detail", source="topic_list", many=True, read_only=True)
    is_member = serializers.SerializerMethodField(help_text=_("A member of the association today."))
    membership = CurrentMembershipSerializer(
        source="*",
        read_only=True,
        allow_null=True,
        help_text=_("The current membership's category and start, or null for a non-member."),
    )
    url = api_url("api:organisation-detail")
    web_url = WebUrlField()

    class Meta:
        model = Organisation
        fields = [
            "id",
            "slug",
            "name",
            "short_name",
            "kind",
            "country",
            "country_name",
            "city",
            "latitude",
            "longitude",
            "website",
            "contact_email",
            "logo",
            "division",
            "topics",
            "is_member",
            "membership",
            "ror_id",
            "wikidata_id",
            "url",
            "web_url",
            "created",
            "modified",
        ]
        read_only_fields = fields
        private_fields = ["contact_email"]
        expansions = {
            "division": division_expansion(_("the division as in /divisions/")),
            "topics": topics_expansion(_("the topics as in /topics/")),
        }

    def get_is_member(self, organisation) -> bool:
        return organisation.membership_category is not None


class MembershipPeriodSerializer(ColumnsRead, serializers.ModelSerializer):
    class Meta:
        model = Membership
        fields = ["id", "category", "status", "started_on", "ended_on"]
        read_only_fields = fields


class OrganisationDetailSerializer(OrganisationSerializer):
    """Reads what `Organisation.objects.for_api_detail()` loads."""

    memberships = MembershipPeriodSerializer(
        source="membership_history",
        many=True,
        read_only=True,
        help_text=_("Every membership period, newest first."),
    )
    people = ReferenceField("api:person-detail", source="person_list", many=True, read_only=True)
    conferences_hosted = ReferenceField(
        "api:conference-detail", label_attribute="title", many=True, read_only=True
    )
    agreements = LinkedReferenceField(
        "api:agreement-detail",
        through="agreement",
        label_attribute="title",
        source="public_agreement_parties",
        many=True,
        read_only=True,
        help_text=_("Public agreements the organisation is a party to, newest first."),
    )

    class Meta(OrganisationSerializer.Meta):
        fields = [
            *OrganisationSerializer.Meta.fields,
            "description",
            "memberships",
            "people",
            "conferences_hosted",
            "agreements",
        ]
        read_only_fields = fields


class OrganisationWriteSerializer(PortalSerializer):
    """What staff tokens create and update. Logos are uploaded in the admin."""

    division = ReferenceField(
        "api:division-detail",
        queryset=Division.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("The division's slug."),
    )
    topics = ReferenceField(
        "api:topic-detail",
        queryset=Topic.objects.all(),
        many=True,
        required=False,
        help_text=_("Topic slugs."),
    )

    class Meta:
        model = Organisation
        fields = [
            "name",
            "short_name",
            "slug",
            "kind",
            "country",
            "city",
            "latitude",
            "longitude",
            "website",
            "contact_email",
            "description",
            "division",
            "topics",
            "ror_id",
            "wikidata_id",
        ]

    def create(self, validated_data):
        with service_errors():
            return create_organisation(**validated_data)

    def update(self, instance, validated_data):
        with service_errors():
            return update_organisation(organisation=instance, **validated_data)


class OfficeSerializer(ColumnsRead, serializers.ModelSerializer):
    full_title = serializers.CharField(read_only=True)
    division = ReferenceField("api:division-detail", read_only=True, allow_null=True)
    organisation = ReferenceField("api:organisation-detail", read_only=True, allow_null=True)

    class Meta:
        model = Office
        fields = [
            "title",
            "full_title",
            "body",
            "division",
            "organisation",
            "started_on",
            "ended_on",
        ]
        read_only_fields = fields


PHOTO_HELP = _("Uploaded by staff in the admin; null unless the person agreed to show it.")
WEBSITE_HELP = _("Empty unless the person agreed to show it.")
BIO_HELP = _("Empty unless the person agreed to show it.")


class PersonSerializer(PortalSerializer):
    """A person. Reads what `Person.objects.for_api()` loads.

    Without the person's consent, callers see the name and roles only: photo, biography and
    website come empty. Staff callers see the record as the admin does, with the consent.
    """

    affiliation = ReferenceField("api:organisation-detail", read_only=True, allow_null=True)
    photo = ImageField(source="public_photo", help_text=PHOTO_HELP)
    website = serializers.URLField(
        source="public_website", read_only=True, allow_blank=True, help_text=WEBSITE_HELP
    )
    current_offices = OfficeSerializer(many=True, read_only=True)
    url = api_url("api:person-detail")
    web_url = WebUrlField()

    class Meta:
        model = Person
        fields = [
            "id",
            "slug",
            "honorific",
            "name",
            "job_title",
            "affiliation",
            "country",
            "photo",
            "website",
            "email",
            "display_consent",
            "current_offices",
            "url",
            "web_url",
            "created",
            "modified",
        ]
        read_only_fields = fields
        private_fields = ["email", "display_consent"]
        expansions = {
            "affiliation": Expansion(
                serializer="portal.api.members.serializers.OrganisationSerializer",
                load=expand_to(
                    "affiliation", Organisation.objects.for_api(), "expanded_affiliation"
                ),
                source="expanded_affiliation",
                help_text=_("the organisation as in /organisations/"),
            ),
        }

    def get_fields(self):
        fields = super().get_fields()
        if self.context.get("staff"):
            # Staff callers read the values themselves, whatever the consent.
            for name in ("photo", "website", "bio"):
                if name in fields:
                    blank = {"allow_blank": True} if name != "photo" else {}
                    fields[name] = type(fields[name])(read_only=True, **blank)
        return fields


class SessionBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()


class AppearanceSerializer(serializers.Serializer):
    conference = ReferenceField(
        "api:conference-detail",
        source="session.conference",
        label_attribute="title",
        read_only=True,
    )
    session = SessionBriefSerializer()
    role = serializers.ChoiceField(choices=Appearance.Role.choices)
    capacity = serializers.CharField(
        help_text=_("Title and affiliation at the time, e.g. Director, CMU STeP.")
    )


class AwardSerializer(serializers.Serializer):
    name = serializers.CharField()
    conference = ReferenceField("api:conference-detail", label_attribute="title", read_only=True)
    citation = serializers.CharField()


class PersonDetailSerializer(PersonSerializer):
    """Reads what `Person.objects.for_api_detail()` loads."""

    offices = OfficeSerializer(
        source="office_list",
        many=True,
        read_only=True,
        help_text=_("Every office held, current and past, newest first."),
    )
    appearances = AppearanceSerializer(
        source="appearance_list",
        many=True,
        read_only=True,
        help_text=_("Parts in conference sessions, newest conference first."),
    )
    awards = AwardSerializer(source="award_list", many=True, read_only=True)
    bio = serializers.CharField(
        source="public_bio", read_only=True, allow_blank=True, help_text=BIO_HELP
    )

    class Meta(PersonSerializer.Meta):
        fields = [*PersonSerializer.Meta.fields, "bio", "offices", "appearances", "awards"]
        read_only_fields = fields


class PersonWriteSerializer(PortalSerializer):
    """What staff tokens create and update. Photos are uploaded in the admin."""

    affiliation = ReferenceField(
        "api:organisation-detail",
        queryset=Organisation.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("The organisation's slug."),
    )

    class Meta:
        model = Person
        fields = [
            "honorific",
            "name",
            "slug",
            "job_title",
            "affiliation",
            "country",
            "bio",
            "email",
            "website",
        ]

    def create(self, validated_data):
        with service_errors():
            return create_person(**validated_data)

    def update(self, instance, validated_data):
        with service_errors():
            return update_person(person=instance, **validated_data)


class MembershipSerializer(PortalSerializer):
    """One membership period. Reads what `Membership.objects.for_api()` loads."""

    organisation = ReferenceField("api:organisation-detail", read_only=True)
    is_current = serializers.BooleanField(read_only=True)
    url = api_url("api:membership-detail", lookup="pk")

    class Meta:
        model = Membership
        fields = [
            "id",
            "organisation",
            "category",
            "status",
            "started_on",
            "ended_on",
            "is_current",
            "notes",
            "url",
            "created",
            "modified",
        ]
        read_only_fields = fields
        private_fields = ["notes"]
        expansions = {
            "organisation": Expansion(
                serializer="portal.api.members.serializers.OrganisationSerializer",
                load=expand_to(
                    "organisation", Organisation.objects.for_api(), "expanded_organisation"
                ),
                source="expanded_organisation",
                help_text=_("the organisation as in /organisations/"),
            ),
        }
