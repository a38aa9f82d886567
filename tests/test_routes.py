"""core/routes.py: addresses written as Django's reverse() writes them."""

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix

from core.routes import fast_reverse


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
