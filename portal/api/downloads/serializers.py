from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_serializer
from drf_standardized_errors.openapi_serializers import ServerErrorEnum
from rest_framework import serializers

from portal.downloads import FORMATS


class DownloadSerializer(serializers.Serializer):
    resource = serializers.CharField(
        help_text=_("The list the file holds: its name in the API's address, e.g. conferences.")
    )
    format = serializers.ChoiceField(
        choices=[(name, name) for name in FORMATS],
        help_text=_("jsonl: one JSON object per line; csv: the list's CSV, one header line."),
    )
    url = serializers.URLField(help_text=_("Where to download the file (gzip-compressed)."))
    size = serializers.IntegerField(help_text=_("The file's size in bytes, compressed."))
    count = serializers.IntegerField(help_text=_("How many records it holds."))
    modified = serializers.DateTimeField(
        help_text=_("When its content last changed: the file's Last-Modified.")
    )
    etag = serializers.CharField(
        help_text=_("The file's ETag, as the file's own answer sends it (a quoted hash).")
    )


# One index, not a list of them, though the endpoint is a list.
@extend_schema_serializer(many=False)
class DownloadIndexSerializer(serializers.Serializer):
    started_at = serializers.DateTimeField(
        allow_null=True,
        help_text=_(
            "When the last build began: every change saved before it is in the files. Pass "
            "it as modified_since (and to /removed/ as since) to stay in sync from there."
        ),
    )
    built_at = serializers.DateTimeField(
        allow_null=True, help_text=_("When the files were last built; null before the first.")
    )
    files = DownloadSerializer(many=True)


class ErrorCode503Enum(TextChoices):
    NOT_BUILT = "not_built"


class Error503Serializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=ErrorCode503Enum.choices)
    detail = serializers.CharField()
    attr = serializers.CharField(allow_null=True)


class ErrorResponse503Serializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=ServerErrorEnum.choices)
    errors = Error503Serializer(many=True)
