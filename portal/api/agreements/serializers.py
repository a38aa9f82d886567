from django.utils.translation import gettext_lazy
from django_countries import countries
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from agreements.confirmations import has_confirmations, party_states
from agreements.models import Agreement, AgreementDocument, AgreementParty
from agreements.network import EDGE_FIELDS
from agreements.services import create_agreement, update_agreement
from conferences.models import Conference
from core.rest.serializers import (
    ColumnsRead,
    ExpandedLinkSerializer,
    Expansion,
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
from members.models import Organisation, Topic
from portal.api.members.serializers import CountryNameField, topics_expansion


@extend_schema_field({"type": "string", "pattern": "^([A-Z]{2})?$"})
class CountryCodeField(serializers.ChoiceField):
    """A country as its ISO 3166 code; documented as a pattern, not a list of 250 names."""

    def __init__(self, **kwargs):
        super().__init__(choices=list(countries), **kwargs)

    def to_representation(self, value):
        return str(value)


@extend_schema_field({"type": "string", "format": "uri", "nullable": True})
class DocumentField(serializers.Field):
    """The public signed text's address, null when there is none: the one document agreements
    had at first, kept for the partners that read it. `documents` lists them all."""

    def __init__(self, **kwargs):
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, agreement):
        document = agreement.public_signed_text
        return absolute(self.context, document.file.url) if document else None


class AgreementDocumentSerializer(ColumnsRead, serializers.ModelSerializer):
    title = serializers.CharField(
        source="display_title",
        read_only=True,
        help_text=gettext_lazy("The document's title, or its kind when it has none."),
    )
    language = serializers.CharField(
        read_only=True, help_text=gettext_lazy("Language code of the text, e.g. `fr`.")
    )
    url = serializers.SerializerMethodField(help_text=gettext_lazy("The PDF's address."))
    is_public = serializers.BooleanField(
        read_only=True,
        help_text=gettext_lazy("False for a document staff keep private (staff tokens only)."),
    )

    class Meta:
        model = AgreementDocument
        fields = ["kind", "title", "language", "url", "is_public"]
        read_only_fields = fields

    def get_url(self, document: AgreementDocument) -> str:
        return absolute(self.context, document.file.url)


@extend_schema_field(AgreementDocumentSerializer(many=True))
class DocumentsField(serializers.Field):
    """The agreement's documents in order: every one for staff, the public ones for others."""

    def __init__(self, **kwargs):
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, agreement):
        if self.context.get("staff"):
            documents = agreement.documents.all()
        else:
            documents = agreement.public_documents
        # As AgreementDocumentSerializer writes them, without building one for each agreement.
        return [
            {
                "kind": str(document.kind),
                "title": str(document.display_title),
                "language": str(document.language),
                "url": absolute(self.context, document.file.url),
                "is_public": bool(document.is_public),
            }
            for document in documents
        ]


class AgreementPartySerializer(ColumnsRead, serializers.ModelSerializer):
    organisation = ReferenceField("api:organisation-detail", read_only=True)
    signatory = ReferenceField("api:person-detail", read_only=True, allow_null=True)

    class Meta:
        model = AgreementParty
        fields = ["organisation", "reference_number", "signatory", "signed_on"]
        read_only_fields = fields
        extra_kwargs = {
            "signed_on": {"help_text": gettext_lazy("When this party signed; null if not known.")}
        }


class ExpandedPartySerializer(ExpandedLinkSerializer):
    """A party with its organisation as the whole record of /organisations/."""

    signatory = ReferenceField("api:person-detail", read_only=True, allow_null=True)
    expanded_fields = {
        "organisation": NestedField(
            "portal.api.members.serializers.OrganisationSerializer", source="expanded_organisation"
        )
    }

    class Meta(AgreementPartySerializer.Meta):
        pass


@extend_schema_field({"type": "array", "items": {"type": "string"}})
class PartySlugsField(serializers.Field):
    """The parties as organisation slugs, for a CSV cell."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, parties):
        return [party.organisation.slug for party in parties.all()]


@extend_schema_field({"type": "array", "items": {"type": "string", "format": "uri"}})
class DocumentUrlsField(DocumentsField):
    """The documents as their addresses, for a CSV cell."""

    def to_representation(self, agreement):
        return [document["url"] for document in super().to_representation(agreement)]


class ConfirmationSerializer(serializers.Serializer):
    organisation = serializers.SlugField(
        source="organisation.slug", help_text=gettext_lazy("Slug of the party.")
    )
    name = serializers.CharField(source="organisation.name")
    confirmed_on = serializers.DateField(
        help_text=gettext_lazy("When the party confirmed the record as it stands.")
    )


@extend_schema_field(ConfirmationSerializer(many=True))
class ConfirmationsField(serializers.Field):
    """The parties that confirmed the agreement's record as it stands now; read from the
    parties' own query (`AgreementParty.objects.with_confirmation()`)."""

    def __init__(self, **kwargs):
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, agreement):
        if not has_confirmations(agreement):
            return []
        confirmed = [state for state in party_states(agreement) if state.is_confirmed]
        return ConfirmationSerializer(confirmed, many=True).data


@extend_schema_field({"type": "array", "items": {"type": "string"}})
class ConfirmedSlugsField(ConfirmationsField):
    """The parties that confirmed, as organisation slugs, for a CSV cell."""

    def to_representation(self, agreement):
        return [row["organisation"] for row in super().to_representation(agreement)]


def _shown(agreement: Agreement, context: dict) -> bool:
    """Whether the caller may see a linked agreement: staff every one, others the public ones."""
    return context.get("staff") or agreement.is_shown_to_visitors


def _link(agreement: Agreement, context: dict) -> dict:
    """A linked agreement as a `ReferenceField` shows a record."""
    url = reverse_one("api:agreement-detail", "slug", agreement.slug)
    return {
        "id": agreement.pk,
        "slug": agreement.slug,
        "name": agreement.title,
        "url": absolute(context, url),
    }


# An agreement of the chain, as `_link` writes it.
AGREEMENT_LINK_SCHEMA = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"},
        "slug": {"type": "string"},
        "name": {"type": "string"},
        "url": {"type": "string", "format": "uri"},
    },
    "required": ["id", "slug", "name", "url"],
}


@extend_schema_field({**AGREEMENT_LINK_SCHEMA, "nullable": True})
class EarlierAgreementField(serializers.Field):
    """The agreement this one amends (or renews), if it does and the caller may see it;
    read from `with_chain()`'s join."""

    def __init__(self, relation: str, **kwargs):
        self.relation = relation
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, agreement):
        earlier = agreement.follows
        if earlier is None or agreement.relation != self.relation:
            return None
        if not _shown(earlier, self.context):
            return None
        return _link(earlier, self.context)


@extend_schema_field({"type": "array", "items": AGREEMENT_LINK_SCHEMA})
class LaterAgreementsField(serializers.Field):
    """The agreements amending (or renewing) this one that the caller may see, oldest first;
    read from `with_chain()`'s prefetch."""

    def __init__(self, relation: str, **kwargs):
        self.relation = relation
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, agreement):
        return [
            _link(later, self.context)
            for later in agreement.later_ones(self.relation)
            if _shown(later, self.context)
        ]


class AgreementSerializer(PortalSerializer):
    """An agreement as lists show it. Reads what `Agreement.objects.for_api()` loads."""

    signed_country = serializers.CharField(
        source="signed_country.code",
        read_only=True,
        help_text=gettext_lazy("ISO 3166 code, or empty."),
    )
    signed_country_name = CountryNameField("signed_country")
    signed_at_conference = ReferenceField(
        "api:conference-detail", label_attribute="title", read_only=True, allow_null=True
    )
    is_in_force = serializers.BooleanField(
        read_only=True,
        help_text=gettext_lazy(
            "Signed or active, today within its validity dates and not terminated."
        ),
    )
    amends = EarlierAgreementField(
        Agreement.Relation.AMENDS,
        help_text=gettext_lazy("The earlier agreement this one amends; null if none."),
    )
    renews = EarlierAgreementField(
        Agreement.Relation.RENEWS,
        help_text=gettext_lazy("The earlier agreement this one renews; null if none."),
    )
    amended_by = LaterAgreementsField(
        Agreement.Relation.AMENDS,
        help_text=gettext_lazy("The later agreements amending this one, oldest first."),
    )
    renewed_by = LaterAgreementsField(
        Agreement.Relation.RENEWS,
        help_text=gettext_lazy("The later agreements renewing this one, oldest first."),
    )
    parties = AgreementPartySerializer(
        many=True,
        read_only=True,
        help_text=gettext_lazy("The organisations that signed, in the order of the document."),
    )
    topics = ReferenceField(
        "api:topic-detail",
        many=True,
        read_only=True,
        help_text=gettext_lazy("Focus areas of the agreement."),
    )
    document = DocumentField(
        help_text=gettext_lazy(
            "The public signed text (PDF), null when there is none; kept for compatibility: "
            "`documents` lists every document."
        )
    )
    documents = DocumentsField(
        help_text=gettext_lazy(
            "The agreement's documents (signed text, annexes, translations) that the caller "
            "may open, in order."
        )
    )
    source_url = serializers.URLField(
        read_only=True,
        allow_blank=True,
        help_text=gettext_lazy("Where the agreement was announced; empty when not known."),
    )
    confirmations = ConfirmationsField(
        help_text=gettext_lazy(
            "The parties that confirmed the record as it stands (an agreement recorded by a "
            "member is confirmed by each party); empty when none has, or none was asked."
        )
    )
    url = api_url("api:agreement-detail")
    web_url = WebUrlField()

    class Meta:
        model = Agreement
        fields = [
            "id",
            "slug",
            "title",
            "kind",
            "status",
            "signed_on",
            "signed_city",
            "signed_country",
            "signed_country_name",
            "signed_at_conference",
            "effective_on",
            "expires_on",
            "terminated_on",
            "termination_reason",
            "is_in_force",
            "amends",
            "renews",
            "amended_by",
            "renewed_by",
            "parties",
            "topics",
            "document",
            "documents",
            "is_public",
            "source_url",
            "confirmations",
            "url",
            "web_url",
            "created",
            "modified",
        ]
        read_only_fields = fields
        private_fields = ["is_public"]
        expansions = {
            "parties": Expansion(
                serializer="portal.api.agreements.serializers.ExpandedPartySerializer",
                load=expand_to(
                    "parties__organisation",
                    Organisation.objects.for_api(),
                    "expanded_organisation",
                ),
                many=True,
                help_text=gettext_lazy("each party's organisation as in /organisations/"),
            ),
            "topics": topics_expansion(gettext_lazy("the focus areas as in /topics/")),
            "signed_at_conference": Expansion(
                serializer="portal.api.conferences.serializers.ConferenceSerializer",
                load=expand_to(
                    "signed_at_conference", Conference.objects.for_api(), "expanded_conference"
                ),
                source="expanded_conference",
                help_text=gettext_lazy("the conference as in /conferences/"),
            ),
        }


class AgreementCSVSerializer(AgreementSerializer):
    """The list shape for a spreadsheet: a party is its organisation's slug."""

    parties = PartySlugsField()
    documents = DocumentUrlsField()
    confirmations = ConfirmedSlugsField()


class AgreementDetailSerializer(AgreementSerializer):
    class Meta(AgreementSerializer.Meta):
        fields = [*AgreementSerializer.Meta.fields, "summary"]
        read_only_fields = fields


class AgreementWriteSerializer(PortalSerializer):
    """What staff send to record or change an agreement; parties and topics by slug.

    Documents are uploaded and published in the admin.
    """

    # The rules are the model's and the service's (agreements/services/): this serializer
    # translates what they refuse into a 400 naming the field, and checks nothing itself.

    slug = serializers.SlugField(
        max_length=300,
        required=False,
        help_text=gettext_lazy("Made from the title when left out on creation."),
    )
    status = serializers.ChoiceField(
        choices=Agreement.Status.choices,
        required=False,
        help_text=gettext_lazy(
            "Left out on creation: signed when there is a signing date, otherwise a draft."
        ),
    )
    signed_country = CountryCodeField(
        required=False, allow_blank=True, help_text=gettext_lazy("ISO 3166 code, or empty.")
    )
    signed_at_conference = ReferenceField(
        "api:conference-detail",
        queryset=Conference.objects.all(),
        required=False,
        allow_null=True,
        help_text=gettext_lazy("Slug of the conference at which it was signed."),
    )
    parties = ReferenceField(
        "api:organisation-detail",
        queryset=Organisation.objects.all(),
        many=True,
        help_text=gettext_lazy(
            "Slugs of the organisations that signed, at least two, in the document's order."
        ),
    )
    topics = ReferenceField(
        "api:topic-detail",
        queryset=Topic.objects.all(),
        many=True,
        required=False,
        help_text=gettext_lazy("Slugs of the focus areas."),
    )
    follows = ReferenceField(
        "api:agreement-detail",
        label_attribute="title",
        queryset=Agreement.objects.all(),
        required=False,
        allow_null=True,
        help_text=gettext_lazy(
            "Slug of the earlier agreement this one amends or renews (see `relation`)."
        ),
    )
    relation = serializers.ChoiceField(
        choices=Agreement.Relation.choices,
        required=False,
        allow_blank=True,
        help_text=gettext_lazy("Whether it amends or renews `follows`; empty without it."),
    )
    parties_signed_on = serializers.ListField(
        child=serializers.DateField(allow_null=True),
        required=False,
        max_length=100,
        help_text=gettext_lazy(
            "Each party's signing date (null when not known), in the order of `parties` (or of "
            "the parties it has, when `parties` is left out). Once every party has one, "
            "`signed_on` is the last of them."
        ),
    )

    class Meta:
        model = Agreement
        fields = [
            "slug",
            "title",
            "kind",
            "status",
            "signed_on",
            "signed_city",
            "signed_country",
            "signed_at_conference",
            "effective_on",
            "expires_on",
            "terminated_on",
            "termination_reason",
            "follows",
            "relation",
            "parties",
            "parties_signed_on",
            "topics",
            "summary",
            "source_url",
            "is_public",
        ]

    def validate(self, attrs):
        # The services check (the model's full_clean once their defaults are in, the parties
        # too) and create() and update() translate; PortalSerializer's own full_clean here
        # would check each rule a second time, before those defaults.
        return attrs

    def create(self, validated_data):
        party_dates = self._party_dates(validated_data, validated_data["parties"])
        with service_errors():
            return create_agreement(party_dates=party_dates, **validated_data)

    def update(self, instance, validated_data):
        parties = validated_data.get("parties")
        if parties is None and "parties_signed_on" in validated_data:
            parties = [party.organisation for party in instance.parties.all()]
        party_dates = self._party_dates(validated_data, parties or [])
        with service_errors():
            return update_agreement(agreement=instance, party_dates=party_dates, **validated_data)

    @staticmethod
    def _party_dates(validated_data: dict, parties: list) -> dict | None:
        """`parties_signed_on` (taken out of `validated_data`) by organisation, for the service."""
        dates = validated_data.pop("parties_signed_on", None)
        if dates is None:
            return None
        if len(dates) != len(parties):
            raise serializers.ValidationError(
                {
                    "parties_signed_on": [
                        gettext_lazy("Give one date per party, in the parties' order.")
                    ]
                },
                code="invalid",
            )
        return {party.pk: date for party, date in zip(parties, dates, strict=True)}


class NetworkNodeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.SlugField()
    name = serializers.CharField()
    country = serializers.CharField(source="country.code", help_text=gettext_lazy("ISO 3166 code."))
    division = serializers.CharField(
        source="division.slug",
        allow_null=True,
        help_text=gettext_lazy("Slug of the organisation's division, if any."),
    )
    is_member = serializers.BooleanField(
        help_text=gettext_lazy("A member of the association today.")
    )
    agreement_count = serializers.IntegerField(
        help_text=gettext_lazy("How many of the agreements in this network it signed.")
    )
    url = api_url("api:organisation-detail")
    web_url = WebUrlField()


class NetworkEdgeSerializer(serializers.Serializer):
    agreement = serializers.SlugField(help_text=gettext_lazy("Slug of the agreement."))
    source = serializers.SlugField(help_text=gettext_lazy("Slug of one party."))
    target = serializers.SlugField(help_text=gettext_lazy("Slug of another party."))
    year = serializers.IntegerField(
        allow_null=True, help_text=gettext_lazy("Year signed; null for a draft.")
    )
    topics = serializers.ListField(
        child=serializers.SlugField(), help_text=gettext_lazy("Slugs of the focus areas.")
    )
    kind = serializers.ChoiceField(choices=Agreement.Kind.choices)
    status = serializers.ChoiceField(choices=Agreement.Status.choices)


# The list route answers one graph object, not an array of them.
@extend_schema_serializer(many=False)
class NetworkSerializer(serializers.Serializer):
    nodes = NetworkNodeSerializer(
        many=True,
        help_text=gettext_lazy(
            "The organisations, ordered by name: those that signed the most of the matching "
            "agreements, at most `limit` of them."
        ),
    )
    edges = NetworkEdgeSerializer(
        many=True,
        help_text=gettext_lazy(
            "One per pair of parties (among the nodes) of each agreement, oldest agreement first."
        ),
    )
    organisation_count = serializers.IntegerField(
        help_text=gettext_lazy(
            "How many organisations signed the matching agreements: more than there are "
            "nodes when `limit` left some out."
        )
    )
    agreement_count = serializers.IntegerField(
        help_text=gettext_lazy(
            "How many agreements match the filters: a chain of renewals counts once, an "
            "amendment not at all."
        )
    )


SLUG_PLACEHOLDER = "slug-placeholder-2f1e"


def kept_network_data(payload: dict, context: dict) -> dict:
    """`NetworkSerializer(...).data` of a network the worker keeps (agreements/network.py),
    written from its JSON at once: the serializer's fields cost a tenth of a millisecond a node
    and an edge, and the largest graph has hundreds of nodes and thousands of edges."""
    # Each address once, then the slug put in (a slug needs no quoting).
    api_url, web_url = (
        absolute(context, reverse_one(view_name, "slug", SLUG_PLACEHOLDER))
        for view_name in ("api:organisation-detail", "members:organisation-detail")
    )
    nodes = [
        {
            "id": node["id"],
            "slug": node["slug"],
            "name": node["name"],
            "country": node["country"],
            "division": node["division"]["slug"] if node["division"] else None,
            "is_member": node["is_member"],
            "agreement_count": node["agreement_count"],
            "url": api_url.replace(SLUG_PLACEHOLDER, node["slug"]),
            "web_url": web_url.replace(SLUG_PLACEHOLDER, node["slug"]),
        }
        for node in payload["nodes"]
    ]
    return {
        "nodes": nodes,
        "edges": [dict(zip(EDGE_FIELDS, edge, strict=True)) for edge in payload["edges"]],
        "organisation_count": payload["organisation_count"],
        "agreement_count": payload["agreement_count"],
    }
