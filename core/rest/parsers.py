import codecs

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, renderers, status
from rest_framework.parsers import BaseParser
from rest_framework.settings import api_settings
from rest_framework.utils import json

# Deeper than any record the API takes (a list of slugs is two levels), far below the
# interpreter's recursion limit.
MAX_JSON_DEPTH = 64


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The request body is larger than the limit of %(limit)s bytes.")
    default_code = "request_too_large"

    def __init__(self):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        super().__init__(self.default_detail % {"limit": limit})


class JSONParser(BaseParser):
    """JSON, refusing a body over DATA_UPLOAD_MAX_MEMORY_SIZE (413) or nested too deep (400).

    Not a subclass of DRF's JSONParser: for those, DRF reads the whole body through
    `request.body`, whose size check raises a RequestDataTooBig that nothing turns into a 4xx.
    This one reads at most one byte past the limit from the stream.
    """

    media_type = "application/json"
    renderer_class = renderers.JSONRenderer

    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        body = stream.read() if limit is None else stream.read(limit + 1)
        if limit is not None and len(body) > limit:
            raise RequestTooLarge()
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        parse_constant = json.strict_constant if api_settings.STRICT_JSON else None
        try:
            data = json.loads(codecs.decode(body, encoding), parse_constant=parse_constant)
        except RecursionError:
            raise self.too_deep() from None
        except ValueError as exc:  # UnicodeDecodeError and JSONDecodeError too
            raise exceptions.ParseError(_("JSON parse error - %s") % exc) from None
        if depth(data) > MAX_JSON_DEPTH:
            raise self.too_deep()
        try:
            # JSON may escape half a UTF-16 pair ("\\ud800"), which is no text: an answer that
            # quoted it back could not be encoded.
            json.dumps(data, ensure_ascii=False).encode()
        except UnicodeEncodeError:
            raise exceptions.ParseError(
                _("JSON parse error - a string holds a lone surrogate (\\ud800–\\udfff).")
            ) from None
        return data

    @staticmethod
    def too_deep() -> exceptions.ParseError:
        return exceptions.ParseError(
            _("JSON parse error - nested deeper than %(limit)s levels.") % {"limit": MAX_JSON_DEPTH}
        )


def depth(data) -> int:
    """How deep lists and objects nest in parsed JSON, found without recursion."""
    deepest, stack = 0, [(data, 1)]
    while stack:
        value, level = stack.pop()
        if isinstance(value, dict):
            value = value.values()
        elif not isinstance(value, list):
            continue
        deepest = max(deepest, level)
        if level > MAX_JSON_DEPTH:
            break
        stack.extend((item, level + 1) for item in value)
    return deepest
