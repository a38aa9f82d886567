"""An agreement, written the one way in each of its two forms: `{% agreement_item %}` in the
lists of agreements, `{% agreement_entry %}` on a page about something else."""

from django import template
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from agreements.models import Agreement
from core.countries import country_name
from core.templatetags.site import rendition, when

register = template.Library()

BADGE_CLASSES = {
    Agreement.Status.ACTIVE: "badge",
    Agreement.Status.SIGNED: "badge",
    Agreement.Status.TERMINATED: "badge badge--accent",
}


def _label(agreement: Agreement, field: str) -> str:
    """The kind's or status's label `label_list_items` gave it, else the model's own."""
    label = getattr(agreement, f"{field}_label", None)
    return label or getattr(agreement, f"get_{field}_display")()


def _path(record) -> str:
    return getattr(record, "page_path", None) or record.get_absolute_url()


def _party(organisation) -> str:
    logo = ""
    if organisation.logo and organisation.logo_width and organisation.logo_height:
        alt = _("Logo of %(name)s") % {"name": escape(organisation.name)}
        width = round(organisation.logo_width / organisation.logo_height * 28)
        logo = (
            f'<img src="{escape(rendition(organisation.logo, "112x56"))}" alt="{alt}" '
            f'width="{width}" height="28" loading="lazy">'
        )
    link = f'<a href="{escape(_path(organisation))}">{escape(organisation.name)}</a>'
    return f"<li>\n{logo}\n{link}\n</li>"


@register.simple_tag
def agreement_item(agreement: Agreement) -> SafeString:
    """An agreement in the lists of agreements (home, /agreements/): the title, the
    status, kind, date and place of signing, the parties with their logos, the focus areas.

    Written in Python: a list draws twenty, and the template with its status badge cost more
    than the rest of the page. Expects Agreement.objects.for_list(); `label_list_items` may
    first give the labels and addresses. `agreement_entry` below is the other form (an
    agreement on a page about something else).
    """
    status = BADGE_CLASSES.get(agreement.status, "badge badge--muted")
    meta = [
        f'<span class="{status}">{escape(_label(agreement, "status"))}</span>',
        escape(_label(agreement, "kind")),
    ]
    if agreement.signed_on:
        meta.append(f"· {_('signed')} {when(agreement.signed_on)}")
    if agreement.signed_city or agreement.signed_country:
        separator = ", " if agreement.signed_city and agreement.signed_country else ""
        place = f"{escape(agreement.signed_city)}{separator}"
        if agreement.signed_country:
            place += escape(country_name(agreement.signed_country))
        meta.append(f"· {_('in')} {place}")
    parts = [
        "<li>",
        f'<h3><a href="{escape(_path(agreement))}">{escape(agreement.title)}</a></h3>',
        f'<p class="card__meta">\n{chr(10).join(meta)}\n</p>',
        f'<ul class="inline-list" aria-label="{conditional_escape(_("Parties"))}">',
        *(_party(party.organisation) for party in agreement.parties.all()),
        "</ul>",
    ]
    topics = agreement.topics.all()
    if topics:
        parts.append(f'<ul class="tags" aria-label="{conditional_escape(_("Focus areas"))}">')
        parts.append(
            "".join(
                f'<li><a href="{escape(_path(topic))}"><span class="badge badge--muted">'
                f"{escape(topic.name)}</span></a></li>"
                for topic in topics
            )
        )
        parts.append("</ul>")
    parts.append("</li>")
    return mark_safe("\n".join(parts))  # every value escaped above


@register.simple_tag
def agreement_entry(
    agreement: Agreement,
    *,
    parties_label: str,
    organisations=(),
    separator: str = ", ",
    short_names: bool = False,
    meta_class: str = "card__meta",
    signed_label: str = "",
) -> SafeString:
    """An agreement on a page about something else (a conference, an organisation, a topic):
    its title as an h3 (the list sits under an h2), kind and date, then `parties_label`
    followed by the names of `organisations` (the agreement's `party_organisations`, or on an
    organisation's page the other parties only), linked to their pages.

    `separator` goes between the names, `short_names` names them with their acronym
    (`display_name`), `meta_class` is the class of the kind-and-date line, `signed_label` the
    word before the date ("signed"). Dates in the site's DATE_FORMAT, as on the agreement's
    own page. Written in Python: an organisation's page lists dozens.

        {% translate "With" as with_label %}
        {% agreement_entry item.agreement parties_label=with_label organisations=item.partners %}
    """
    meta = escape(_label(agreement, "kind"))
    if agreement.signed_on:
        meta += f" · {escape(signed_label or _('signed'))} {when(agreement.signed_on)}"
    parts = [
        "<li>",
        f'<h3><a href="{escape(_path(agreement))}">{escape(agreement.title)}</a></h3>',
        f'<p class="{escape(meta_class)}">{meta}</p>',
    ]
    if organisations:
        names = escape(separator).join(
            f'<a href="{escape(organisation.get_absolute_url())}">'
            f"{escape(organisation.display_name if short_names else organisation.name)}</a>"
            for organisation in organisations
        )
        parts.append(f"<p>{escape(parties_label)} {names}</p>")
    parts.append("</li>")
    return mark_safe("\n".join(parts))  # every value escaped above
