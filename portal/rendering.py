"""Markdown that staff write, turned into HTML that is safe to show to every visitor.

Markdown passes raw HTML through, so its output is sanitised afterwards (nh3, an allow-list):
only the tags and attributes Markdown itself makes survive, links keep http(s), mailto and tel
addresses or addresses within the site, and every link gets a safe `rel`.
"""

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

# `#` in a page's body is a section of the page: its <h1> is the page's title.
HEADING_BASE_LEVEL = 2
# Ids of the body's headings are prefixed, so that none takes an id of the page around it.
ID_PREFIX = "section-"

ALLOWED_TAGS = {
    "a",
    "abbr",
    "blockquote",
    "br",
    "code",
    "em",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "img",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
HEADING_ATTRIBUTES = {"id"}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "ol": {"start"},
    **{f"h{level}": HEADING_ATTRIBUTES for level in range(2, 7)},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
LINK_REL = "noopener noreferrer"


def render_markdown(text: str) -> SafeString:
    """The body as HTML: rendered, then stripped of anything but plain document markup."""
    html = markdown.markdown(
        text,
        extensions=["sane_lists", "tables", "toc"],
        extension_configs={"toc": {"baselevel": HEADING_BASE_LEVEL}},
        output_format="html",
    )
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
        id_prefix=ID_PREFIX,
        strip_comments=True,
    )
    return mark_safe(cleaned)  # sanitised above: only the allowed tags and attributes remain
