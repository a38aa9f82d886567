"""An organisation's card in the logo grids (the directory, a division's and a topic's page),
written by `{% organisation_card %}`."""

import re

import pytest
from django.template import Context, Template

from members.logos import CARD_LOGO_BOX, fit_logos
from members.models import Organisation
from tests.factories import MembershipFactory, OrganisationFactory, organisation_with_logo

pytestmark = pytest.mark.django_db


def card(organisation, **options) -> str:
    arguments = " ".join(f"{name}={name}" for name in options)
    template = Template(
        "{% load organisation_tags %}{% organisation_card organisation " + arguments + " %}"
    )
    return template.render(Context({"organisation": organisation, **options}))


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def test_a_card_names_the_organisation_links_to_it_and_says_where_it_is():
    organisation = OrganisationFactory(
        name="Kista Science City", short_name="KSC", slug="kista", city="Stockholm", country="SE"
    )

    html = card(organisation)

    assert html.startswith('<li class="card">') and html.endswith("</li>")
    assert '<h3><a class="card__link" href="/organisations/kista/">Kista Science City</a></h3>' in (
        html
    )
    assert text(html) == "No logo Kista Science City KSC Stockholm, Sweden"
    assert '<span class="badge badge--muted">No logo</span>' in html


def test_a_card_leaves_out_a_short_name_equal_to_the_name_and_a_missing_city():
    html = card(OrganisationFactory(name="ZSTIP", short_name="ZSTIP", city="", country="HU"))

    assert text(html) == "No logo ZSTIP Hungary"


def test_a_card_escapes_what_staff_typed():
    html = card(OrganisationFactory(name="<b>Park</b> & Co", short_name="", city='"Town"'))

    assert "<b>" not in html
    assert "&lt;b&gt;Park&lt;/b&gt; &amp; Co" in html
    assert "&quot;Town&quot;, " in html


@pytest.mark.parametrize(("position", "lazy"), [(1, False), (4, False), (5, True), (None, True)])
def test_a_card_logo_has_its_shown_size_and_loads_lazily_past_the_first_row(position, lazy):
    organisation = organisation_with_logo(name="Lund Park")
    fit_logos([organisation], CARD_LOGO_BOX)

    html = card(organisation, position=position)

    image = re.search(r"<img [^>]+>", html).group(0)
    assert 'alt="Logo of Lund Park"' in image
    # 200 × 100 fits the 176 × 120 box at 176 × 88.
    assert 'width="176" height="88"' in image
    assert ('loading="lazy"' in image) is lazy
    assert re.search(r'src="[^"]*renditions/352x240/', image)
    assert "No logo" not in html


def test_a_card_says_member_only_when_asked_and_the_organisation_is_one():
    member = OrganisationFactory(name="Member Park")
    MembershipFactory(organisation=member)
    OrganisationFactory(name="Other Park")
    shown = {
        organisation.name: organisation
        for organisation in Organisation.objects.for_cards().with_membership()
    }

    assert '<span class="badge">Member</span>' in card(shown["Member Park"], show_membership=True)
    assert "Member<" not in card(shown["Member Park"])
    assert "Member<" not in card(shown["Other Park"], show_membership=True)


def test_a_card_runs_no_query(django_assert_num_queries):
    organisation = Organisation.objects.for_cards().get(pk=OrganisationFactory().pk)
    fit_logos([organisation], CARD_LOGO_BOX)

    with django_assert_num_queries(0):
        card(organisation, position=1)
