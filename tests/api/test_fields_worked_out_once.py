"""Serializers' fields worked out once per class (core.rest.serializers.FieldsWorkedOutOnce):
the same fields as DRF makes, each serializer with its own."""

import pytest
from rest_framework import serializers
from rest_framework.test import APIRequestFactory

from core.rest.serializers import FieldsWorkedOutOnce, PortalSerializer
from members.models import Organisation
from portal.api.members.serializers import OrganisationSerializer, PersonSerializer
from tests.factories import OrganisationFactory, TopicFactory


def every_subclass(cls):
    for subclass in cls.__subclasses__():
        yield subclass
        yield from every_subclass(subclass)


def api_serializers():
    # The API's modules are imported by the URL conf; import it to have every serializer.
    import config.urls  # noqa: F401

    return sorted(
        {cls for cls in every_subclass(PortalSerializer) if getattr(cls, "Meta", None)},
        key=lambda cls: cls.__qualname__,
    )


def drf_fields(serializer) -> dict:
    """The fields as DRF's ModelSerializer alone makes them, for the same serializer."""
    return serializers.ModelSerializer.get_fields(serializer)


def every_field(field):
    yield field
    for nested in ("child", "child_relation"):
        if nested in field.__dict__:
            yield from every_field(field.__dict__[nested])
    if isinstance(field, serializers.Serializer):
        for child in field.fields.values():
            yield from every_field(child)


@pytest.mark.django_db
@pytest.mark.parametrize("serializer_class", api_serializers(), ids=lambda cls: cls.__name__)
def test_the_fields_drf_makes(serializer_class):
    assert len(api_serializers()) > 10
    for context in ({}, {"staff": True}):
        first = serializer_class(context=context)
        again = serializer_class(context=context)
        ours = FieldsWorkedOutOnce.get_fields(first)
        drfs = drf_fields(again)

        assert list(ours) == list(drfs)
        assert {name: repr(field) for name, field in ours.items()} == {
            name: repr(field) for name, field in drfs.items()
        }


def test_no_field_is_shared_between_serializers():
    first = OrganisationSerializer(context={"staff": True})
    second = OrganisationSerializer(context={"staff": True})

    shared = {id(field) for name in first.fields for field in every_field(first.fields[name])} & {
        id(field) for name in second.fields for field in every_field(second.fields[name])
    }
    assert not shared
    assert first.fields["topics"].child_relation.parent is first.fields["topics"]
    assert first.fields["topics"].child_relation.root is first


@pytest.mark.django_db
def test_each_answer_writes_the_host_of_its_own_request(settings):
    settings.ALLOWED_HOSTS = ["one.example", "two.example"]
    organisation = OrganisationFactory()
    organisation.topics.set([TopicFactory(slug="energy")])
    organisation = Organisation.objects.for_api().get(pk=organisation.pk)
    factory = APIRequestFactory()
    answers = {
        host: OrganisationSerializer(
            organisation, context={"request": factory.get("/", HTTP_HOST=host)}
        )
        for host in ("one.example", "two.example")
    }

    for host, serializer in answers.items():
        data = serializer.data
        assert data["topics"][0]["url"] == f"http://{host}/api/v1/topics/energy/"
        assert data["url"].startswith(f"http://{host}/")


def test_a_field_handing_out_a_default_hands_out_its_own():
    class Tagged(PortalSerializer):
        tags = serializers.ListField(child=serializers.CharField(), default=list, required=False)
        labels = serializers.ListField(child=serializers.CharField(), default=["a"])

        class Meta:
            model = Organisation
            fields = ["name", "tags", "labels"]

    first, second = Tagged().fields, Tagged().fields
    first["labels"].default.append("b")

    assert second["labels"].default == ["a"]
    assert Tagged().fields["labels"].default == ["a"]


def test_the_fields_for_staff_alone_are_made_for_staff_alone():
    public = OrganisationSerializer(context={}).fields
    staff = OrganisationSerializer(context={"staff": True}).fields
    assert set(staff) - set(public) == set(OrganisationSerializer.Meta.private_fields)
    # A subclass changing the fields it is given changes its serializer's own: staff read
    # the website itself, the public the one shown with the person's consent.
    assert PersonSerializer(context={"staff": True}).fields["website"].source == "website"
    assert PersonSerializer(context={}).fields["website"].source == "public_website"
    assert PersonSerializer(context={"staff": True}).fields["website"].source == "website"


@pytest.mark.django_db
def test_the_messages_drf_writes_into_a_field_are_in_the_language_of_the_answer():
    from django.utils import translation
    from rest_framework.validators import UniqueValidator

    from portal.api.members.serializers import OrganisationWriteSerializer

    def unique_message() -> str:
        slug = OrganisationWriteSerializer().fields["slug"]
        (validator,) = [v for v in slug.validators if isinstance(v, UniqueValidator)]
        return str(validator.message)

    english = unique_message()
    with translation.override("de"):
        german = unique_message()
    assert "already exists" in english
    assert "existiert bereits" in german
    assert unique_message() == english
