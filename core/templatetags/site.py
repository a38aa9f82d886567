import json
from io import BytesIO

from django import template
from django.core.files.base import ContentFile
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from PIL import Image

from core.dates import DAY, date_range_text, date_text, iso_date
from core.routes import fast_reverse

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


@register.filter
def rendition(image, box: str) -> str:
    """URL of a copy of `image` that fits in `box` ("WxH" pixels), made once and then reused.

    Pages ask for twice their display size for sharp high-density screens. The copy sits beside
    the uploads in the same storage; a broken original falls back to its own URL.
    """
    if not image:
        return ""
    width, height = (int(side) for side in box.split("x"))
    target = f"renditions/{width}x{height}/{image.name}"
    storage = image.storage
    if storage.exists(target):
        return storage.url(target)
    try:
        with storage.open(image.name, "rb") as source, Image.open(source) as picture:
            picture.thumbnail((width, height))
            buffer = BytesIO()
            picture.save(buffer, format=picture.format or "PNG")
    except (OSError, ValueError):
        return image.url
    return storage.url(storage.save(target, ContentFile(buffer.getvalue())))


@register.simple_tag
def when(start, end=None, precision: str = DAY, weekday: bool = False) -> str:
    """A date, or the range from `start` to `end`, as a `<time>` element written the one way
    of the site (core/dates.py); `precision` is "day", "month" or "year". Nothing for no date.

    `{% when agreement.signed_on %}`,
    `{% when conference.start_date conference.end_date conference.date_precision %}`,
    `{% when office.started_on as since %}` to use it inside a sentence.
    """
    if not start:
        return ""
    if end and end != start:
        text = date_range_text(start, end, precision)
    else:
        text = date_text(start, precision, weekday=weekday)
    return format_html('<time datetime="{}">{}</time>', iso_date(start, precision), text)


@register.simple_tag
def route(view_name: str, **kwargs) -> str:
    """`{% url %}` for the links every page writes (the menu, the footer, the feeds):
    reversed once per process (core.routes.fast_reverse) instead of at each page."""
    return fast_reverse(view_name, **kwargs)
