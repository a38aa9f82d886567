from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_view
from drf_standardized_errors.openapi_validation_errors import extend_validation_errors

from conferences.models import Appearance
from core.rest.grouping import by_choice, by_country, by_record
from core.rest.viewsets import PortalViewSet, PortalWriteViewSet
from members.filters import MembershipFilter, OrganisationApiFilter
from members.models import Division, Membership, Office, Organisation, Person, Topic
from portal import selectors
from portal.filters import PersonApiFilter

from .rows import OrganisationRows
from .serializers import (
    DivisionSerializer,
    MembershipSerializer,
    OrganisationDetailSerializer,
    OrganisationSerializer,
    OrganisationWriteSerializer,
    PersonDetailSerializer,
    PersonSerializer,
    PersonWriteSerializer,
    TopicSerializer,
)


class TopicViewSet(PortalViewSet):
    """Topics: the shared vocabulary of organisations, sessions and agreements."""

    serializer_class = TopicSerializer
    search_fields = ["name", "description"]
    ordering_fields = ["name", "modified"]

    def get_queryset(self):
        return selectors.topics_with_counts()


class DivisionViewSet(PortalViewSet):
    """Divisions: the association's regional chapters."""

    serializer_class = DivisionSerializer
    search_fields = ["name", "description"]
    ordering_fields = ["name", "modified"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            # Building the schema: the kept counts are not read (no database needed).
            return Division.objects.all()
        return selectors.divisions_with_counts()


def slug_filters(*names: str):
    """Slug filters refuse a NUL character with a code of their own; the schema says so."""

    def document(viewset):
        for name in names:
            viewset = extend_validation_errors(
                ["null_characters_not_allowed"], field_name=name, actions=["list"]
            )(viewset)
        return viewset

    return document


def answered_with(detail_serializer):
    """Writes answer with the record in its detail shape; the schema says so."""
    return extend_schema_view(
        create=extend_schema(responses={201: detail_serializer}),
        update=extend_schema(responses={200: detail_serializer}),
        partial_update=extend_schema(responses={200: detail_serializer}),
    )


WRITES = ["create", "update", "partial_update"]


# Codes of the model's constraints, which the model reports on these fields (full_clean()).
@extend_validation_errors(["unique"], field_name="name", actions=WRITES)
@extend_validation_errors(["both_or_neither"], field_name="latitude", actions=WRITES)
@extend_validation_errors(["both_or_neither"], field_name="longitude", actions=WRITES)
@answered_with(OrganisationDetailSerializer)
@slug_filters("division", "topic")
class OrganisationViewSet(PortalWriteViewSet):
    """Organisations: member parks and every other body the association deals with.

    `?member=true` keeps the current members. Staff tokens may create and update
    organisations; logos are uploaded in the admin.
    """

    serializer_class = OrganisationSerializer
    list_rows = OrganisationRows
    detail_serializer_class = OrganisationDetailSerializer
    write_serializer_class = OrganisationWriteSerializer
    filterset_class = OrganisationApiFilter
    cache_precise_actions = ("retrieve",)
    cache_depends_on = (Membership,)  # whether it is a member now
    cache_list_depends_on = (Organisation, Membership, Division, Topic)
    search_fields = ["name", "short_name", "city"]
    ordering_fields = ["name", "country", "modified"]
    group_by_fields = {
        "country": by_country("country", description=gettext_lazy("its country")),
        "division": by_record("division", description=gettext_lazy("its division")),
        "kind": by_choice("kind", Organisation.Kind.choices, description=gettext_lazy("its kind")),
        "topic": by_record("topics", description=gettext_lazy("each of its topics"), many=True),
    }

    def get_queryset(self):
        if self.action == "list":
            return Organisation.objects.for_api()
        return selectors.organisations_in_full()


@answered_with(PersonDetailSerializer)
@slug_filters("conference", "organisation")
class PersonViewSet(PortalWriteViewSet):
    """People: speakers, office holders, signatories and contacts.

    Staff tokens may create and update people; photos are uploaded in the admin.
    """

    serializer_class = PersonSerializer
    detail_serializer_class = PersonDetailSerializer
    write_serializer_class = PersonWriteSerializer
    filterset_class = PersonApiFilter
    cache_precise_actions = ("retrieve",)
    cache_list_depends_on = (Person, Office, Appearance, Organisation)
    search_fields = ["name", "job_title"]
    ordering_fields = ["name", "modified"]
    group_by_fields = {
        "country": by_country("country", description=gettext_lazy("their country")),
    }

    def get_queryset(self):
        people = Person.objects.for_api() if self.action == "list" else selectors.people_in_full()
        # A removed person's record is kept for the roles it held; only staff read it.
        return people if self.staff else people.public()


@slug_filters("organisation")
class MembershipViewSet(PortalViewSet):
    """Membership periods of organisations, past, current and pending, by id."""

    lookup_field = "pk"
    serializer_class = MembershipSerializer
    filterset_class = MembershipFilter
    search_fields = ["organisation__name"]
    ordering_fields = ["started_on", "ended_on", "modified"]
    group_by_fields = {
        "category": by_choice(
            "category", Membership.Category.choices, description=gettext_lazy("its category")
        ),
        "status": by_choice(
            "status", Membership.Status.choices, description=gettext_lazy("its status")
        ),
    }

    def get_queryset(self):
        return Membership.objects.for_api()


ROUTES = [
    ("divisions", DivisionViewSet, "division"),
    ("memberships", MembershipViewSet, "membership"),
    ("organisations", OrganisationViewSet, "organisation"),
    ("people", PersonViewSet, "person"),
    ("topics", TopicViewSet, "topic"),
]
