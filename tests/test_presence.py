"""core/db/presence.py: prefetches run only for the records whose relation holds rows."""

import pytest
from django.db.models import Prefetch

from core.db.presence import prefetch_present, with_presence
from members.models import Organisation, Person
from tests.factories import OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def named_people():
    return [Prefetch("people", queryset=Person.objects.filter(name__startswith="A"), to_attr="a")]


def test_each_record_gets_its_own_rows_and_the_empty_ones_no_query(django_assert_num_queries):
    staffed = OrganisationFactory(name="Staffed")
    PersonFactory(name="Ada", affiliation=staffed)
    PersonFactory(name="Ann", affiliation=staffed)
    filtered_out = OrganisationFactory(name="Filtered out")
    PersonFactory(name="Bob", affiliation=filtered_out)
    OrganisationFactory(name="Empty")

    with django_assert_num_queries(1):
        organisations = list(with_presence(Organisation.objects.order_by("name"), named_people))
    # One query, for the two organisations with people: none for the empty one.
    with django_assert_num_queries(1):
        prefetch_present(organisations, named_people)

    assert {o.name: sorted(p.name for p in o.a) for o in organisations} == {
        "Empty": [],
        "Filtered out": [],
        "Staffed": ["Ada", "Ann"],
    }


def test_no_query_when_no_record_has_rows(django_assert_num_queries):
    OrganisationFactory()
    organisations = list(with_presence(Organisation.objects.all(), named_people))

    with django_assert_num_queries(0):
        prefetch_present(organisations, named_people)

    assert organisations[0].a == []


def test_records_read_without_the_flags_have_every_prefetch_run(django_assert_num_queries):
    PersonFactory(name="Ada", affiliation=OrganisationFactory())
    organisations = list(Organisation.objects.all())

    with django_assert_num_queries(1):
        prefetch_present(organisations, named_people)

    assert [person.name for person in organisations[0].a] == ["Ada"]


@pytest.mark.parametrize(
    "prefetch", [Prefetch("people"), Prefetch("people__offices", to_attr="offices")]
)
def test_only_one_relation_with_a_to_attr(prefetch):
    with pytest.raises(ValueError, match="people"):
        with_presence(Organisation.objects.all(), lambda: [prefetch])
