import copy
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from typing import ClassVar

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.db.models import Prefetch
from django.utils.module_loading import import_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django_countries.serializer_fields import CountryField
from django_countries.serializers import CountryFieldMixin
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail
from rest_framework.fields import SkipField
from rest_framework.relations import PKOnlyObject
from rest_framework.settings import api_settings

from core.routes import fast_reverse, path_maker


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


class ReferenceField(serializers.SlugRelatedField):
    """A related record as `{"id", "slug", "name", "url"}`; written as its slug.

    The schema shows each direction as it is (core/rest/schema.py).
    """

    def __init__(self, view_name: str, *, label_attribute: str = "name", **kwargs):
        self.view_name = view_name
        self.label_attribute = label_attribute
        kwargs.setdefault("slug_field", "slug")
        if "queryset" not in kwargs:
            # Without a queryset to look slugs up in, the field can only be read.
            kwargs["read_only"] = True
        super().__init__(**kwargs)

    @cached_property
    def path(self) -> Callable[[object], str]:
        # The route reversed once per field, for the many values it writes in one answer
        # (core.routes.path_maker): each answer makes its fields anew, and the script
        # prefix cannot change within a request.
        return path_maker(self.view_name, "slug")

    def to_representation(self, obj):
        return {
            "id": obj.pk,
            "slug": obj.slug,
            "name": str(getattr(obj, self.label_attribute)),
            "url": absolute(self.context, self.path(obj.slug)),
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


class CountryCodeField(CountryField):
    """A country as the schema gives it: its ISO code, or "" where none may be.

    django-countries also reads a falsy value of any type (0, false, []) as no country, an
    object's "code", and a country's name or its other codes; each is refused here, so that
    a wrong value is a 400 naming the field rather than a country quietly changed.
    """

    # A stored code is written as it is (core/rest/rows.py).
    writes_a_value = True

    def to_internal_value(self, data):
        if not isinstance(data, str) or (data and data not in self.choices):
            self.fail("invalid_choice", input=data)
        return super().to_internal_value(data)

    def to_representation(self, obj):
        # A stored country is one of the codes offered: written as it is, where
        # django-countries would look it up again among every country's codes and names.
        code = getattr(obj, "code", obj)
        if not self.country_dict and not self.name_only and code in self.choice_strings:
            return code
        return super().to_representation(obj)

    @cached_property
    def choice_strings(self) -> frozenset:
        return frozenset(key for key in self.choices if isinstance(key, str) and key)


class ColumnsRead:
    """A ModelSerializer mixin: `to_representation` as DRF's, with the model's own columns
    read straight off the record.

    DRF reads each field through `Field.get_attribute`, which walks the source, tells a
    mapping from an object, catches what a relation may raise and calls what is callable:
    about 2 µs a field, 5,000 fields in a list of 50 records with their expansions. A
    column of the serializer's model holds a plain value, none of which can happen: the
    fields reading one (and not overriding `get_attribute`) read it with `getattr`, the
    others as DRF does. The plan is made once per serializer instance (a list's child
    serves every row).
    """

    def to_representation(self, instance):
        plan = self.__dict__.get("_columns_plan")
        if plan is None:
            plan = self._columns_plan = self._plan_columns()
        model, fields = plan
        if type(instance) is not model:
            return super().to_representation(instance)
        ret = {}
        for name, field, column in fields:
            if column is None:
                try:
                    attribute = field.get_attribute(instance)
                except SkipField:
                    continue
                check_for_none = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
            else:
                attribute = check_for_none = getattr(instance, column)
            ret[name] = None if check_for_none is None else field.to_representation(attribute)
        return ret

    def _plan_columns(self) -> tuple[type[models.Model], list]:
        model = self.Meta.model
        columns = {field.attname for field in model._meta.concrete_fields if not field.is_relation}
        fields = []
        for field in self._readable_fields:
            source = field.source_attrs
            plain = (
                type(field).get_attribute is serializers.Field.get_attribute
                and len(source) == 1
                and source[0] in columns
            )
            fields.append((field.field_name, field, source[0] if plain else None))
        return model, fields


class FieldsWorkedOutOnce:
    """A ModelSerializer mixin: the fields DRF works out from the model, once per class.

    `ModelSerializer.get_fields` reads the model's fields, their validators and uniqueness
    and maps each to a serializer field, for each serializer made: about a millisecond for a
    record of twenty fields, each answer making several. What it gives depends on the class
    and on the language (DRF writes a unique value's message when it makes the field), so it
    is kept per class and language, and each serializer is given fields of its own made from
    it as DRF copies a declared field (`Field.__deepcopy__`: the class called again with the
    arguments it was made with). Fields are never shared between serializers, since binding
    a field ties it to its parent and through it to the request.
    """

    _worked_out: ClassVar[dict[tuple, dict[str, serializers.Field]]] = {}

    def get_fields(self):
        kind = (type(self), get_language())
        worked_out = FieldsWorkedOutOnce._worked_out.get(kind)
        if worked_out is None:
            worked_out = FieldsWorkedOutOnce._worked_out[kind] = super().get_fields()
        return {name: made_anew(field) for name, field in worked_out.items()}


def made_anew(value, key: str | None = None):
    """A field made again from the arguments it was made with, its nested fields too.

    The other arguments are passed on as they are, as ModelSerializer passes the model
    field's own choices, countries and querysets to each field it makes; a field hands out
    its `default` and `initial`, so those are copied (as DRF copies a declared field's).
    """
    if isinstance(value, serializers.Field):
        return type(value)(
            *(made_anew(argument) for argument in value._args),
            **{name: made_anew(argument, name) for name, argument in value._kwargs.items()},
        )
    if key in ("default", "initial"):
        return copy.deepcopy(value)
    return value


class PortalSerializer(
    ColumnsRead, FieldsWorkedOutOnce, CountryFieldMixin, serializers.ModelSerializer
):
    """What every API serializer does.

    - `Meta.private_fields` reach staff callers only (contact e-mails and the like).
    - `Meta.expansions` name the relations `?expand=` may replace by nested records.
    - Writing runs the model's own validation, constraints included, as the admin does.
    - Countries are ISO codes; read-only text that may be blank is documented as possibly ""
      (DRF drops `allow_blank` from read-only fields, and the schema would then promise a
      URL, an e-mail address or a country code where "" may come).
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
                    source = {"source": expansion.source} if expansion.source else {}
                    fields[name] = expansion.serializer_class(
                        many=expansion.many, read_only=True, nested=True, **source
                    )
        return fields

    def build_standard_field(self, field_name, model_field):
        field_class, field_kwargs = super().build_standard_field(field_name, model_field)
        if field_class is CountryField:
            field_class = CountryCodeField
        return field_class, field_kwargs

    def include_extra_kwargs(self, kwargs, extra_kwargs):
        allow_blank = kwargs.get("allow_blank", False)
        kwargs = super().include_extra_kwargs(kwargs, extra_kwargs)
        if allow_blank:
            kwargs["allow_blank"] = True
        return kwargs

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


@contextmanager
def service_errors():
    """A service's ValidationError as the API's 400, naming the field."""
    try:
        yield
    except DjangoValidationError as error:
        errors = as_serializer_errors(error) if hasattr(error, "error_dict") else error.messages
        raise serializers.ValidationError(errors) from None


def as_serializer_errors(error: DjangoValidationError) -> dict:
    """A model's ValidationError as DRF's, each message keeping its code (e.g. `unique`)."""
    if not hasattr(error, "error_dict"):
        error = DjangoValidationError({NON_FIELD_ERRORS: error.error_list})
    errors = {}
    for field, field_errors in error.error_dict.items():
        key = api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field
        errors[key] = [
            ErrorDetail(message, code=item.code or "invalid")
            for item in field_errors
            for message in item.messages
        ]
    return errors or {api_settings.NON_FIELD_ERRORS_KEY: [_("Invalid data.")]}


def absolute(context: dict, url: str) -> str:
    """`url` with the request's scheme and host (worked out once per answer)."""
    request = context.get("request")
    if request is None:
        return url
    if not url.startswith("/") or url.startswith("//"):
        return request.build_absolute_uri(url)
    if "origin" not in context:
        context["origin"] = request.build_absolute_uri("/")[:-1]
    return context["origin"] + url


def reverse_one(view_name: str, lookup: str, value) -> str:
    """`reverse(view_name, kwargs={lookup: value})`, resolved once per route (core/routes.py):
    a list of 50 records with their references reverses a thousand URLs."""
    return fast_reverse(view_name, **{lookup: value})


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
    """The record's own address in the API (without the ?format= of the request).

    `query` is added as it is, e.g. "format=ics" for the record's calendar file.
    """

    def __init__(self, view_name: str, lookup: str = "slug", query: str = "", **kwargs):
        self.view_name = view_name
        self.lookup = lookup
        self.query = query
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    @cached_property
    def path(self) -> Callable[[object], str]:
        # The route reversed once per field, for the many values it writes in one answer
        # (core.routes.path_maker): each answer makes its fields anew, and the script
        # prefix cannot change within a request.
        return path_maker(self.view_name, self.lookup)

    def to_representation(self, obj):
        url = self.path(getattr(obj, self.lookup))
        return absolute(self.context, f"{url}?{self.query}" if self.query else url)


def api_url(view_name: str, lookup: str = "slug", query: str = "") -> ApiUrlField:
    return ApiUrlField(view_name, lookup, query)


def expand_to(
    relation: str,
    queryset: models.QuerySet | Callable[[], models.QuerySet],
    attribute: str,
) -> Callable:
    """An expansion's `load`: the related records fetched with what their full shape reads.

    `queryset` may be a function that makes it, called per request: for one that reads
    something when it is made (kept counts), not when the serializers are defined.
    Stored under their own attribute, so that the references of the unexpanded shape (already
    joined) do not stop the fuller query.
    """

    def load(records: models.QuerySet) -> models.QuerySet:
        related = queryset() if callable(queryset) else queryset
        return records.prefetch_related(Prefetch(relation, queryset=related, to_attr=attribute))

    return load


class NestedField:
    """A field holding another app's serializer, named by dotted path as expansions do."""

    def __init__(self, serializer: str, **kwargs):
        self.serializer = serializer
        self.kwargs = kwargs

    def build(self) -> serializers.Serializer:
        return import_string(self.serializer)(read_only=True, nested=True, **self.kwargs)


class ExpandedLinkSerializer(PortalSerializer):
    """A link row (a host, a speaker, a party) whose far end `?expand=` gives in full."""

    expanded_fields: dict[str, NestedField] = {}

    def get_fields(self):
        fields = super().get_fields()
        for name, nested in self.expanded_fields.items():
            fields[name] = nested.build()
        return fields


class LinkedReferenceField(ReferenceField):
    """A reference to the record at the far end of a link row, such as a party's agreement."""

    def __init__(self, view_name: str, *, through: str, **kwargs):
        self.through = through
        super().__init__(view_name, **kwargs)

    def to_representation(self, link):
        return super().to_representation(getattr(link, self.through))


IMAGE_SCHEMA = {
    "type": "object",
    "nullable": True,
    "properties": {
        "url": {"type": "string", "format": "uri"},
        "width": {"type": "integer", "nullable": True},
        "height": {"type": "integer", "nullable": True},
    },
    "required": ["url", "width", "height"],
}


@extend_schema_field(IMAGE_SCHEMA)
class ImageField(serializers.Field):
    """An uploaded image as `{url, width, height}`, or null. Images are uploaded in the admin."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, image):
        if not image:
            return None
        field = image.field
        return {
            "url": absolute(self.context, image.url),
            # The sizes stored at upload: reading the file for them would cost a disk access.
            "width": getattr(image.instance, field.width_field),
            "height": getattr(image.instance, field.height_field),
        }
