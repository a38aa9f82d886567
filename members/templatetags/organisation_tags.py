"""An organisation in a logo grid (the directory, a division's and a topic's page), written
the one way by `{% organisation_card %}`."""

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from core.countries import country_name
from core.templatetags.site import rendition

register = template.Library()

# The first row of a grid (four cards on a wide screen) loads its logos at once.
EAGER_LOGOS = 4


@register.simple_tag
def organisation_card(organisation, position=None, show_membership=False) -> SafeString:
    """An organisation's card in a logo grid (<ul class="grid grid--logos">): its logo, name,
    short name and place, and with `show_membership` a "Member" badge for a current member.

    Written in Python: a directory page draws 24, and their template includes cost more than
    the rest of the page. Expects Organisation.objects.for_cards() and `logo_size` set by
    members.logos.fit_logos. `position` is the card's place in the grid (from 1): the first
    row loads its logos at once, the others, and a card without a position, when scrolled near.
    """
    if organisation.logo:
        alt = _("Logo of %(name)s") % {"name": escape(organisation.name)}
        size = organisation.logo_size
        sized = f' width="{size[0]}" height="{size[1]}"' if size else ""
        lazy = ' loading="lazy"' if not position or position > EAGER_LOGOS else ""
        logo = (
            f'<img src="{escape(rendition(organisation.logo, "352x240"))}" alt="{alt}"'
            f'{sized}{lazy} decoding="async">'
        )
    else:
        logo = f'<span class="badge badge--muted">{escape(_("No logo"))}</span>'
    parts = [
        f'<li class="card">\n<div class="card__logo">\n{logo}\n</div>\n'
        f'<h3><a class="card__link" href="{escape(organisation.get_absolute_url())}">'
        f"{escape(organisation.name)}</a></h3>"
    ]
    short_name = organisation.short_name
    if short_name and short_name != organisation.name:
        parts.append(f'\n<p class="card__meta">{escape(short_name)}</p>')
    city = f"{escape(organisation.city)}, " if organisation.city else ""
    parts.append(f'\n<p class="card__meta">{city}{escape(country_name(organisation.country))}</p>')
    if show_membership and getattr(organisation, "member_since", None):
        parts.append(f'\n<p><span class="badge">{escape(_("Member"))}</span></p>')
    parts.append("\n</li>")
    return mark_safe("".join(parts))  # every value escaped above
