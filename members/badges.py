"""The member badge: its size and lifetime, the name wrapped to fit, and the HTML to embed it."""

import unicodedata
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext

from .models import Organisation

BADGE_WIDTH = 320
BADGE_HEIGHT = 96
# Name lines, in the width of an average Latin letter at the name's size (wide East Asian
# characters count twice): two lines, then an ellipsis.
BADGE_LINE_WIDTH = 28
BADGE_NAME_LINES = 2
# Minutes, not hours: a lapsed membership shows on embedding sites within five minutes.
BADGE_MAX_AGE = 300
# The badge is a picture: nothing to load, run or frame when it is opened on its own.
BADGE_CSP = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"


def _text_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def badge_name_lines(
    name: str, *, width: int = BADGE_LINE_WIDTH, lines: int = BADGE_NAME_LINES
) -> list[str]:
    """`name` wrapped at word boundaries into at most `lines` lines; "…" ends a cut name."""
    pieces: list[str] = []
    for word in name.split():
        # A word wider than a line (or a name without spaces) is cut into line-wide pieces.
        while _text_width(word) > width:
            cut = len(word)
            while _text_width(word[:cut]) > width:
                cut -= 1
            pieces.append(word[:cut])
            word = word[cut:]
        pieces.append(word)
    wrapped: list[str] = []
    for piece in pieces:
        if wrapped and _text_width(f"{wrapped[-1]} {piece}") <= width:
            wrapped[-1] = f"{wrapped[-1]} {piece}"
        else:
            wrapped.append(piece)
    if len(wrapped) <= lines:
        return wrapped
    kept = wrapped[:lines]
    last = kept[-1]
    while last and _text_width(last) + 1 > width:
        last = last[:-1]
    kept[-1] = f"{last.rstrip(' ,;:–-')}…"
    return kept


def badge_alt(organisation: Organisation) -> str:
    return gettext("%(name)s, member of %(association)s") % {
        "name": organisation.name,
        "association": settings.ASSOCIATION_SHORT_NAME,
    }


def badge_embed(organisation: Organisation, request: HttpRequest) -> dict[str, Any]:
    """The badge as a member's profile shows it, with the HTML to paste into another site."""
    badge_url = reverse("members:organisation-badge", kwargs={"slug": organisation.slug})
    snippet = format_html(
        '<a href="{}"><img src="{}" alt="{}" width="{}" height="{}"></a>',
        request.build_absolute_uri(organisation.get_absolute_url()),
        request.build_absolute_uri(badge_url),
        badge_alt(organisation),
        BADGE_WIDTH,
        BADGE_HEIGHT,
    )
    return {
        "badge_url": badge_url,
        "badge_alt": badge_alt(organisation),
        "badge_width": BADGE_WIDTH,
        "badge_height": BADGE_HEIGHT,
        "badge_snippet": str(snippet),
    }
