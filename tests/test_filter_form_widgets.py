"""The filter forms' widgets, drawn in Python (core.widgets.WidgetRenderer), give the markup
Django's widget templates give: the same options, labels, ids, selected values and escaping."""

import pytest
from django import forms
from django.forms.renderers import get_default_renderer
from django.urls import reverse

from core.widgets import widget_renderer
from tests.factories import (
    AgreementFactory,
    AgreementPartyFactory,
    ConferenceFactory,
    DivisionFactory,
    OrganisationFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db

HOSTILE = '<script>"x"&amp;\'</script>'


def drawn_by_templates(field: forms.BoundField) -> str:
    field.form.renderer = get_default_renderer()
    return str(field)


@pytest.fixture
def records():
    division = DivisionFactory(name='Asia & "Pacific"')
    park = OrganisationFactory(name="Parc <Sud>", country="FR", kind="science_park")
    other = OrganisationFactory(name="Tech & Co", country="CN")
    ConferenceFactory(title="World <Conference>", country="FR")
    ConferenceFactory(kind="division", division=division, slug="division-conference", edition=None)
    PersonFactory(name="Ada", country="FR", affiliation=park)
    agreement = AgreementFactory(is_public=True)
    AgreementPartyFactory(agreement=agreement, organisation=park)
    AgreementPartyFactory(agreement=agreement, organisation=other)
    return park


@pytest.mark.parametrize(
    "url_name, query",
    [
        ("conferences:conference-list", {}),
        ("conferences:conference-list", {"country": "FR", "q": HOSTILE}),
        ("conferences:conference-list", {"year": "abc", "division": HOSTILE}),
        ("members:organisation-list", {}),
        ("members:organisation-list", {"country": "FR", "kind": "science_park"}),
        ("members:organisation-list", {"country": HOSTILE, "q": HOSTILE}),
        ("members:person-list", {"country": "FR"}),
        ("members:person-list", {"q": HOSTILE, "organisation": HOSTILE}),
        ("agreements:agreement-list", {}),
        ("agreements:agreement-list", {"party": HOSTILE, "year": "1999"}),
        ("agreements:network", {"country": "FR"}),
    ],
)
def test_filter_form_widgets_same_markup_as_django_templates(client, records, url_name, query):
    response = client.get(reverse(url_name), query)

    assert response.status_code == 200
    html = response.content.decode()
    form = response.context["filter"].form
    assert form.renderer is widget_renderer
    for field in form:
        expected = drawn_by_templates(field)
        assert expected in html, field.name
    assert HOSTILE not in html


class EveryShapeForm(forms.Form):
    plain = forms.CharField(required=False, max_length=20)
    number = forms.IntegerField(required=False, widget=forms.NumberInput(attrs={"min": 1}))
    hidden = forms.CharField(required=False, widget=forms.HiddenInput)
    search = forms.CharField(
        required=False,
        widget=forms.SearchInput(attrs={"autofocus": True, "spellcheck": False}),
        help_text="A name",
    )
    grouped = forms.ChoiceField(
        required=False,
        choices=[
            ("", "All"),
            ('Europe & "friends"', [("fr", "France <FR>"), ("de", "Germany")]),
            ("Asia", [(1, 2026), ("cn", "China")]),
        ],
    )
    kind = forms.ChoiceField(choices=[("a", "A & B"), ("b", "B")], disabled=True)


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"plain": HOSTILE, "number": "x", "hidden": HOSTILE, "search": "", "grouped": "fr"},
        {"number": "3", "grouped": "1", "kind": "b"},
        {"grouped": HOSTILE},
    ],
)
def test_widget_renderer_same_markup_as_django_templates(data):
    quick = EveryShapeForm(data, renderer=widget_renderer)
    slow = EveryShapeForm(data)

    for field in slow:
        assert str(quick[field.name]) == str(field), field.name
