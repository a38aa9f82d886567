import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# The characters that could end a <script> element or start markup inside it.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag(takes_context=True)
def absolute_url(context, path: str) -> str:
    """An absolute URL for `path` on this site (canonical links, Open Graph, JSON-LD)."""
    if not path or path.startswith(("http://", "https://")):
        return path
    request = context.get("request")
    return request.build_absolute_uri(path) if request else path


@register.filter
def json_ld(data: dict) -> SafeString:
    """Render schema.org data as a JSON-LD script element, safe inside HTML."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(
        _JSON_SCRIPT_ESCAPES
    )
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))
