"""ColumnsRead reads the model's columns itself and gives what DRF's own reading gives."""

import datetime

import pytest
from rest_framework import serializers
from rest_framework.test import APIRequestFactory

from core.rest.serializers import ColumnsRead
from members.models import Organisation
from portal.api.members.serializers import OrganisationSerializer
from tests.factories import MembershipFactory, OrganisationFactory, TopicFactory

pytestmark = pytest.mark.django_db


class PlainOrganisationSerializer(serializers.ModelSerializer):
    """Columns, a renamed column, a relation, a property, a method field, the whole record."""

    label = serializers.CharField(source="name")
    division = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    shown_name = serializers.CharField(source="display_name")
    initial = serializers.SerializerMethodField()
    whole = serializers.SerializerMethodField()
    missing = serializers.CharField(source="no_such_attribute", required=False)

    class Meta:
        model = Organisation
        fields = [
            "id", "slug", "label", "short_name", "kind", "country", "latitude", "logo",
            "description", "created", "division", "shown_name", "initial", "whole", "missing",
        ]  # fmt: skip

    def get_initial(self, organisation) -> str:
        return organisation.name[:1]

    def get_whole(self, organisation) -> str:
        return type(organisation).__name__


class ReadingSerializer(ColumnsRead, PlainOrganisationSerializer):
    pass


@pytest.fixture
def organisations():
    OrganisationFactory(
        name="Kista", short_name="KSC", latitude=59.4, longitude=17.9, description="Text"
    )
    OrganisationFactory(name="Ideon", division=None, country="DK")
    return list(Organisation.objects.select_related("division").order_by("pk"))


def test_the_same_representation_as_drf_reading_each_field(organisations):
    ours = ReadingSerializer(organisations, many=True).data
    drfs = PlainOrganisationSerializer(organisations, many=True).data

    assert ours == drfs
    assert [row["label"] for row in ours] == ["Kista", "Ideon"]
    assert ours[1]["division"] is None and ours[1]["latitude"] is None
    assert "missing" not in ours[0]


def test_only_the_plain_columns_are_read_directly(organisations):
    serializer = ReadingSerializer(organisations[0])
    serializer.data  # noqa: B018 (makes the plan)

    _model, plan = serializer._columns_plan
    direct = {name for name, _field, column in plan if column}
    assert direct == {"id", "slug", "label", "short_name", "kind", "country", "latitude",
                      "logo", "description", "created"}  # fmt: skip


def test_a_deferred_column_is_loaded_as_drf_loads_it(organisations):
    deferred = Organisation.objects.defer("description").get(pk=organisations[0].pk)

    assert ReadingSerializer(deferred).data["description"] == "Text"


def test_anything_but_a_record_of_the_model_is_read_as_drf_reads_it():
    row = {"id": 7, "slug": "kista", "name": "Kista", "short_name": "", "kind": "other",
           "country": "SE", "latitude": None, "logo": None, "description": "",
           "created": datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
           "division": None, "display_name": "Kista"}  # fmt: skip
    fields = ["id", "slug", "label", "short_name", "kind", "latitude", "shown_name"]

    class Row(ColumnsRead, serializers.ModelSerializer):
        label = serializers.CharField(source="name")
        shown_name = serializers.CharField(source="display_name")

        class Meta:
            model = Organisation
            fields = ["id", "slug", "label", "short_name", "kind", "latitude", "shown_name"]

    assert list(Row(row).data) == fields
    assert Row(row).data["label"] == "Kista"


def test_the_api_serializer_answers_as_without_it():
    organisation = OrganisationFactory(name="Kista")
    organisation.topics.set([TopicFactory()])
    MembershipFactory(organisation=organisation)
    record = Organisation.objects.for_api().get()
    context = {"request": APIRequestFactory().get("/api/v1/organisations/")}

    class WithoutIt(OrganisationSerializer):
        to_representation = serializers.ModelSerializer.to_representation

    assert OrganisationSerializer(record, context=context).data == (
        WithoutIt(record, context=context).data
    )
