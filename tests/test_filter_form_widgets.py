"""The filter forms' widgets, drawn in Python (core.widgets.WidgetRenderer), give the markup
Django's widget templates give: the same options, labels, ids, selected values and escaping."""

import pytest
from django import forms
from django.forms.renderers import get_default_renderer
from django.urls import reverse
from hypothesis import example, given, settings
from hypothesis import strategies as st

from core.widgets import widget_renderer, with_written_options
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


# A select's options written once per list of choices (core.widgets.WrittenOptions).

label_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)
option_values = st.one_of(st.text(max_size=6), st.integers(-5, 5), st.none())


def written(widget: forms.Widget, name: str, value) -> str:
    return with_written_options(widget).render(name, value, {"id": "id_x"}, widget_renderer)


def by_templates(widget: forms.Widget, name: str, value) -> str:
    return widget.render(name, value, {"id": "id_x"}, get_default_renderer())


@settings(max_examples=150, deadline=None)
@given(
    choices=st.lists(st.tuples(option_values, label_text), max_size=8),
    value=st.one_of(st.none(), option_values.map(lambda v: "" if v is None else str(v))),
    picked=st.lists(option_values.map(lambda v: "" if v is None else str(v)), max_size=3),
)
@example(choices=[("a", "A"), ("a", "again"), ("", "none")], value="a", picked=["a", ""])
def test_written_options_same_markup_as_django_templates(choices, value, picked):
    single = forms.Select(choices=choices, attrs={"class": 'x"y'})
    multiple = forms.SelectMultiple(choices=choices)

    # The first option of the value only; every option of a multiple select's values.
    assert written(single, "pick", value) == by_templates(single, "pick", value)
    assert written(multiple, "many", picked) == by_templates(multiple, "many", picked)
    # Written once, then read: the same markup again.
    assert written(single, "pick", value) == by_templates(single, "pick", value)


def test_written_options_leave_groups_to_django():
    widget = EveryShapeForm().fields["grouped"].widget

    assert written(widget, "grouped", "fr") == by_templates(widget, "grouped", "fr")
    assert "<optgroup" in written(widget, "grouped", "fr")


def test_written_options_of_translated_labels_follow_the_language():
    from django.utils.translation import gettext_lazy, override

    widget = forms.Select(choices=[("", gettext_lazy("All countries")), ("en", "English")])

    with override("en-gb"):
        assert ">All countries</option>" in written(widget, "c", None)
    with override("de"):
        assert written(widget, "c", None) == by_templates(widget, "c", None)


def test_written_options_keep_the_widget_it_was_made_from_as_it_was():
    widget = forms.Select(choices=[("a", "A")])

    copy = with_written_options(widget)
    copy.render("x", "a", None, widget_renderer)

    assert type(widget) is forms.Select
    assert widget.render("x", "a", None, widget_renderer) == copy.render(
        "x", "a", None, widget_renderer
    )


def test_written_options_tell_equal_values_of_other_kinds_apart():
    for choices in ([(1, "One")], [(True, "One")], [(1.0, "One")], [("1", "One")]):
        widget = forms.Select(choices=choices)
        assert written(widget, "n", None) == by_templates(widget, "n", None)
