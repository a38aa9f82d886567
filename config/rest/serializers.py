import copy
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.urls import reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.settings import api_settings


@dataclass(frozen=True)
class Expansion:
    """A relation `?expand=<name>` replaces by full records instead of references.

    `serializer` is a dotted path (serializers of different apps refer to each other).
    `load` adds to the queryset what the expanded records need, so that expanding costs
    a fixed number of queries whatever the number of rows.
    """

    serializer: str
    load: Callable[[models.QuerySet], models.QuerySet]
    many: bool = False
    source: str | None = None
    help_text: str = ""

    @property
    def serializer_class(self) -> type[serializers.Serializer]:
        return import_string(self.serializer)


REFERENCE_SCHEMA = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"},
        "slug": {"type": "string"},
        "name": {"type": "string"},
        "url": {"type": "string", "format": "uri"},
    },
    "required": ["id", "slug", "name", "url"],
}


@extend_schema_field(REFERENCE_SCHEMA)
class ReferenceField(serializers.SlugRelatedField):
    """A related record as `{"id", "slug", "name", "url"}`; written as its slug."""

    def __init__(self, view_name: str, *, label_attribute: str = "name", **kwargs):
        self.view_name = view_name
        self.label_attribute = label_attribute
        kwargs.setdefault("slug_field", "slug")
        if "queryset" not in kwargs:
            # Without a queryset to look slugs up in, the field can only be read.
            kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, obj):
        return {
            "id": obj.pk,
            "slug": obj.slug,
            "name": str(getattr(obj, self.label_attribute)),
            "url": absolute(self.context, reverse(self.view_name, kwargs={"slug": obj.slug})),
        }

    def to_internal_value(self, data):
        if isinstance(data, dict) and "slug" in data:
            data = data["slug"]
        if not isinstance(data, str) or "\x00" in data:
            # PostgreSQL refuses a NUL in a query: it could only ever be a wrong slug.
            self.fail("invalid")
        return super().to_internal_value(data)

    def use_pk_only_optimization(self):
        return False


class PortalSerializer(serializers.ModelSerializer):
    """What every API serializer does.

    - `Meta.private_fields` reach staff callers only (contact e-mails and the like).
    - `Meta.expansions` name the relations `?expand=` may replace by nested records.
    - Writing runs the model's own validation, constraints included, as the admin does.
    """

    def __init__(self, *args, nested: bool = False, **kwargs):
        self.nested = nested
        super().__init__(*args, **kwargs)

    @classmethod
    def expansions(cls) -> dict[str, Expansion]:
        return getattr(cls.Meta, "expansions", {})

    def get_fields(self):
        fields = super().get_fields()
        if not self.context.get("staff"):
            for name in getattr(self.Meta, "private_fields", ()):
                fields.pop(name, None)
        if not self.nested:
            for name in self.context.get("expand", ()):
                expansion = self.expansions().get(name)
                if expansion is not None:
                    fields[name] = expansion.serializer_class(
                        many=expansion.many,
                        read_only=True,
                        nested=True,
                        source=expansion.source or name,
                    )
        return fields

    def validate(self, attrs):
        attrs = super().validate(attrs)
        model = self.Meta.model
        instance = copy.copy(self.instance) if self.instance is not None else model()
        concrete = {field.name for field in model._meta.concrete_fields}
        for name, value in attrs.items():
            if name in concrete:
                setattr(instance, name, value)
        writable = {
            field.source for field in self.fields.values() if not field.read_only and field.source
        }
        exclude = [name for name in concrete if name not in writable]
        try:
            instance.full_clean(exclude=exclude)
        except DjangoValidationError as error:
            raise serializers.ValidationError(as_serializer_errors(error)) from None
        return attrs


def as_serializer_errors(error: DjangoValidationError) -> dict:
    errors = {}
    for field, messages in error.message_dict.items():
        key = api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field
        errors[key] = messages
    return errors or {api_settings.NON_FIELD_ERRORS_KEY: [_("Invalid data.")]}


def absolute(context: dict, url: str) -> str:
    request = context.get("request")
    return request.build_absolute_uri(url) if request is not None else url


@extend_schema_field({"type": "string", "format": "uri"})
class WebUrlField(serializers.Field):
    """The record's public page on the portal."""

    def __init__(self, **kwargs):
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, obj):
        return absolute(self.context, obj.get_absolute_url())


@extend_schema_field({"type": "string", "format": "uri"})
class ApiUrlField(serializers.Field):
    """The record's own address in the API (without the ?format= of the request)."""

    def __init__(self, view_name: str, lookup: str = "slug", **kwargs):
        self.view_name = view_name
        self.lookup = lookup
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, obj):
        url = reverse(self.view_name, kwargs={self.lookup: getattr(obj, self.lookup)})
        return absolute(self.context, url)


def api_url(view_name: str, lookup: str = "slug") -> ApiUrlField:
    return ApiUrlField(view_name, lookup)
