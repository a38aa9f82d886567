"""core/routes.py: addresses written as Django's reverse() writes them."""

from urllib.parse import quote

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix

from core.routes import fast_reverse, path_maker
from members.models import Organisation
from portal.api.members.serializers import OrganisationSerializer
from tests.factories import DivisionFactory, OrganisationFactory


@pytest.mark.parametrize(
    ("view_name", "kwargs"),
    [
        ("members:organisation-detail", {"slug": "zhongguancun-science-park"}),
        ("members:organisation-detail", {"slug": "a_b-3"}),
        ("conferences:session-detail", {"slug": "world-conference-2025", "pk": 12}),
        ("conferences:session-detail", {"pk": 12, "slug": "world-conference-2025"}),
        ("agreements:agreement-detail", {"slug": "x"}),
    ],
)
def test_an_address_is_the_one_reverse_writes(view_name, kwargs):
    first = fast_reverse(view_name, **kwargs)
    again = fast_reverse(view_name, **kwargs)

    assert first == again == reverse(view_name, kwargs=kwargs)


def test_a_value_reverse_would_refuse_is_refused():
    with pytest.raises(NoReverseMatch):
        fast_reverse("members:organisation-detail", slug="two words")
    with pytest.raises(NoReverseMatch):
        fast_reverse("conferences:session-detail", slug="world", pk="not-a-number")


def test_the_script_prefix_is_part_of_the_address():
    plain = fast_reverse("members:topic-detail", slug="energy")
    set_script_prefix("/portal/")
    try:
        assert fast_reverse("members:topic-detail", slug="energy") == "/portal/topics/energy/"
    finally:
        set_script_prefix("/")
    assert plain == "/topics/energy/"


@pytest.mark.parametrize("value", ["zhongguancun-science-park", "a_b-3", "42"])
def test_a_path_maker_writes_the_address_reverse_writes(value):
    path = path_maker("members:organisation-detail", "slug")

    assert path(value) == reverse("members:organisation-detail", kwargs={"slug": value})


@pytest.mark.parametrize(
    ("value", "written"),
    [("café park", "caf%C3%A9%20park"), ("a/b?c#d", "a/b%3Fc%23d"), ("x%20y", "x%2520y")],
)
def test_a_path_maker_quotes_what_is_not_a_plain_value_as_reverse_would(value, written):
    path = path_maker("conferences:conference-detail", "slug")

    assert path(value) == f"/conferences/{written}/"
    assert quote(value, safe="!$&'()*+,;=/~:@") == written


@pytest.mark.parametrize("conference", ["world-conference-2025", "edition-9999999999", "88888"])
def test_a_path_maker_finds_its_argument_whatever_the_fixed_ones_hold(conference):
    path = path_maker("conferences:session-detail", "pk", slug=conference)

    assert path(12) == reverse("conferences:session-detail", kwargs={"slug": conference, "pk": 12})


def test_the_route_tag_writes_what_the_url_tag_writes():
    from django.template import Context, Template

    ours = Template(
        "{% load site %}{% route 'members:organisation-list' %}|"
        "{% route 'members:organisation-detail' slug='kista' as kista %}{{ kista }}"
    ).render(Context())
    djangos = Template(
        "{% url 'members:organisation-list' %}|"
        "{% url 'members:organisation-detail' slug='kista' as kista %}{{ kista }}"
    ).render(Context())

    assert ours == djangos == "/members/|/organisations/kista/"


@pytest.mark.django_db
def test_api_fields_write_the_script_prefix_of_the_answer_they_are_made_for():
    OrganisationFactory(slug="kista", division=DivisionFactory(slug="nordic"))
    organisation = Organisation.objects.for_api().get()

    def written() -> dict:
        data = OrganisationSerializer(organisation).data
        return {"url": data["url"], "division": data["division"]["url"]}

    plain = written()
    set_script_prefix("/portal/")
    try:
        behind_a_prefix = written()
    finally:
        set_script_prefix("/")

    assert plain == {"url": "/api/v1/organisations/kista/", "division": "/api/v1/divisions/nordic/"}
    assert behind_a_prefix == {
        "url": "/portal/api/v1/organisations/kista/",
        "division": "/portal/api/v1/divisions/nordic/",
    }
    assert written() == plain
