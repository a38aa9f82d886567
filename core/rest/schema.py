from django.db.models import TextChoices
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, PolymorphicProxySerializer
from drf_standardized_errors.openapi import AutoSchema
from drf_standardized_errors.openapi_serializers import ClientErrorEnum, ValidationErrorEnum
from drf_standardized_errors.openapi_utils import get_error_serializer
from inflection import camelize
from rest_framework import permissions, serializers

from . import grouping
from .filters import ModifiedSinceFilter
from .parsers import JSONParser, RequestTooLarge
from .permissions import ReadOnlyUnlessStaffToken


class UnknownParameterErrorSerializer(serializers.Serializer):
    """A query parameter the endpoint does not take, named in `attr`."""

    attr = serializers.CharField()
    code = serializers.ChoiceField(choices=[("unknown_parameter", "unknown_parameter")])
    detail = serializers.CharField()

    class Meta:
        ref_name = "UnknownParameterError"


class ErrorCode413Enum(TextChoices):
    REQUEST_TOO_LARGE = RequestTooLarge.default_code


class Error413Serializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=ErrorCode413Enum.choices)
    detail = serializers.CharField()
    attr = serializers.CharField(allow_null=True)


class ErrorResponse413Serializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=ClientErrorEnum.choices)
    errors = Error413Serializer(many=True)


class PortalAutoSchema(AutoSchema):
    """Documents what every endpoint shares: expansion, formats and conditional requests.

    Error responses (400 naming the parameter or field, 401, 403, 404, 405, 406, 429) come
    from drf-standardized-errors, which also formats them at run time.
    """

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        expansions = getattr(self.view, "expansions", None) or {}
        if expansions and self.method == "GET":
            parameters.append(
                OpenApiParameter(
                    "expand",
                    OpenApiTypes.STR,
                    description=_(
                        "Comma-separated relations to return as full records instead of "
                        "references {id, slug, name, url}. One or more of: %(names)s."
                    )
                    % {
                        "names": "; ".join(
                            f"{name} ({exp.help_text})" if exp.help_text else name
                            for name, exp in sorted(expansions.items())
                        )
                    },
                )
            )
        if self.groupable:
            parameters.append(
                OpenApiParameter(
                    grouping.PARAMETER,
                    OpenApiTypes.STR,
                    enum=sorted(self.view.group_by_fields),
                    description=_(
                        "Answer with the number of records for each value of this field "
                        "instead of the records, after every filter (see “Counts by a "
                        "field”). Not with page, page_size, ordering or expand. %(fields)s"
                    )
                    % {
                        "fields": " ".join(
                            f"{name}: {field.description}"
                            + (_(" (a record may count in several groups).") if field.many else ".")
                            for name, field in sorted(self.view.group_by_fields.items())
                        )
                    },
                )
            )
        formats = [renderer.format for renderer in self.view.get_renderers()]
        if self.method == "GET" and len(formats) > 1:
            parameters.append(
                OpenApiParameter(
                    "format",
                    OpenApiTypes.STR,
                    enum=formats,
                    description=_(
                        "Response format; the Accept header works too. csv gives the rows "
                        "of a list without paging metadata."
                    ),
                )
            )
        return parameters

    @property
    def groupable(self) -> bool:
        return (
            self.method == "GET"
            and self._is_list_view()
            and bool(getattr(self.view, "group_by_fields", None))
        )

    def get_auth(self):
        """Reads are open to anonymous callers: a token is an alternative, not a requirement.

        drf-spectacular adds the empty requirement only for the permissions it knows
        (AllowAny, IsAuthenticatedOrReadOnly).
        """
        auths = super().get_auth()
        if (
            self.method in permissions.SAFE_METHODS
            and {} not in auths
            and any(isinstance(p, ReadOnlyUnlessStaffToken) for p in self.view.get_permissions())
        ):
            auths.append({})
        return auths

    def _should_add_parse_error_response(self) -> bool:
        parsers = self.view.get_parsers()
        return super()._should_add_parse_error_response() or any(
            isinstance(parser, JSONParser) for parser in parsers
        )

    def _should_add_validation_error_response(self) -> bool:
        return self.method == "GET" or super()._should_add_validation_error_response()

    def _get_serializer_for_validation_error_response(self):
        """The package's 400 shape, plus the error of a parameter the endpoint does not take.

        The package tells errors apart by their `attr`; an unknown parameter can have any
        name, so the error items are a plain oneOf (each known `attr` is still an enum).
        """
        codes_by_field = self._get_validation_error_codes_by_field(
            self._determine_fields_with_error_codes()
        )
        operation_id = self.get_operation_id()
        items = [
            get_error_serializer(operation_id, field, codes)
            for field, codes in codes_by_field.items()
        ]
        if self.method == "GET":
            items.append(UnknownParameterErrorSerializer)

        class ValidationErrorSerializer(serializers.Serializer):
            type = serializers.ChoiceField(choices=ValidationErrorEnum.choices)
            errors = PolymorphicProxySerializer(
                component_name=f"{camelize(operation_id)}Error",
                resource_type_field_name=None,
                serializers=items,
                many=True,
            )

            class Meta:
                ref_name = f"{camelize(operation_id)}ValidationError"

        return ValidationErrorSerializer

    def _get_extra_validation_errors(self) -> dict[str, set[str]]:
        """The 400s of the parameters every endpoint shares (see core/rest/filters.py)."""
        errors = dict(super()._get_extra_validation_errors())
        if self.method != "GET":
            return errors
        errors.setdefault("format", {"invalid_choice"})
        if getattr(self.view, "expansions", None):
            errors.setdefault("expand", {"invalid_choice"})
        if self._is_list_view():
            if getattr(self.view, "pagination_class", None) is not None:
                errors.setdefault("page", {"invalid", "out_of_range"})
                errors.setdefault("page_size", {"invalid", "out_of_range"})
            if ModifiedSinceFilter in getattr(self.view, "filter_backends", ()):
                errors.setdefault("modified_since", {"invalid"})
            if getattr(self.view, "ordering_fields", None):
                errors.setdefault("ordering", {"invalid_choice"})
            if getattr(self.view, "search_fields", None):
                errors.setdefault("search", {"null_characters_not_allowed"})
        if self.groupable:
            errors[grouping.PARAMETER] = {"invalid_choice"}
            formats = {renderer.format for renderer in self.view.get_renderers()}
            conflicting = [name for name in grouping.NOT_WITH_GROUPS if name in errors]
            if formats - set(grouping.GROUP_FORMATS):
                conflicting.append("format")
            for name in conflicting:
                errors[name] = {*errors[name], grouping.CONFLICT_CODE}
        return errors

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if (
            direction == "response"
            and self.method in ("POST", "PUT", "PATCH")
            and any(isinstance(parser, JSONParser) for parser in self.view.get_parsers())
        ):
            responses.setdefault(
                "413", self._get_response_for_code(ErrorResponse413Serializer, "413")
            )
        if direction == "response" and self.groupable and "200" in responses:
            groups = self.resolve_serializer(grouping.GroupsSerializer, direction).ref
            content = responses["200"].get("content", {})
            if "application/json" in content:
                records = content["application/json"]["schema"]
                content["application/json"]["schema"] = {"oneOf": [records, groups]}
            responses["200"]["description"] = _(
                "The records, a page at a time; or, with group_by, their counts by a field."
            )
        if direction == "response" and self.method == "GET":
            responses.setdefault(
                "304",
                {
                    "description": _(
                        "Not modified: the ETag sent in If-None-Match still matches, or "
                        "nothing changed since If-Modified-Since. No body."
                    )
                },
            )
        return responses


class ReferenceFieldExtension(OpenApiSerializerFieldExtension):
    """A reference is read as {id, slug, name, url} and written as the slug."""

    target_class = "core.rest.serializers.ReferenceField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        from .serializers import REFERENCE_SCHEMA

        if direction == "request":
            return {"type": "string", "description": _("The related record's slug.")}
        return REFERENCE_SCHEMA
