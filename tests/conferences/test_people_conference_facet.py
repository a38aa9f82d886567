"""The /people/ page's conference facet: people counted per conference on its programme."""

import pytest
from django.http import QueryDict

from core.filters import FacetedFilterSet
from members.models import Person
from ops.dataset import generate_dataset
from portal.filters import PersonFilter

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("query", ["", "q=an", "country=DE", "q=zzz"])
def test_conference_facet_counts_as_the_generic_count_does(query):
    generate_dataset(scale=0.02, seed=1)
    people = PersonFilter(QueryDict(f"page=1&{query}"), queryset=Person.objects.all())
    people.form.is_valid()
    facet = PersonFilter.facets["conference"]

    counted = people.facet_counts("conference", facet)

    assert counted == FacetedFilterSet.facet_counts(people, "conference", facet)
    if query != "q=zzz":
        assert counted and all(count > 0 for _slug, _title, count in counted)


def test_conference_facet_keeps_the_chosen_conference_with_no_count(django_assert_num_queries):
    generate_dataset(scale=0.02, seed=1)
    slug = PersonFilter.facets["conference"].offered()[0]
    people = PersonFilter(QueryDict(f"conference={slug}&q=zzz"), queryset=Person.objects.all())
    people.form.is_valid()

    with django_assert_num_queries(2):  # the conferences offered, then the counts
        counted = people.facet_counts("conference", PersonFilter.facets["conference"])

    assert [(value, count) for value, _label, count in counted] == [(slug, None)]
