"""The stored, GIN-indexed search documents behind site search on PostgreSQL."""

import pytest
from django.contrib.postgres.search import SearchVector
from django.db import connection
from django.db.models import Value
from django.db.models.functions import Concat

from core.db.search_document import search_document
from portal.search import SEARCH_CONFIG, SEARCH_TYPES, postgresql_matches, search
from tests.factories import (
    AgreementFactory,
    ConferenceFactory,
    OrganisationFactory,
    PageFactory,
    PersonFactory,
    SessionFactory,
)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the stored documents exist on PostgreSQL only"
    ),
]


@pytest.fixture
def one_of_each():
    conference = ConferenceFactory(theme="Energy transition", city="Chiang Mai")
    SessionFactory(conference=conference, description="Grids and storage")
    PersonFactory(job_title="Director of energy", bio="Builds parks.")
    OrganisationFactory(short_name="ZSTIP", description="New materials.", city="Zsámbék")
    AgreementFactory(summary="Energy efficiency and new materials.")
    PageFactory(summary="How to join.", body="Write to **info@example.org**.")


# The vocabularies (topics, divisions) are small and have no stored document.
STORED = [search_type for search_type in SEARCH_TYPES if search_type.stored_document]


@pytest.mark.parametrize("search_type", STORED, ids=lambda search_type: search_type.key)
def test_stored_document_is_the_vector_of_the_search_fields(one_of_each, search_type):
    """The migration's column and SEARCH_TYPES describe the same document."""
    model = search_type.queryset().model
    expected = SearchVector(search_type.title_field, weight="A", config=SEARCH_CONFIG)
    expected += SearchVector(*search_type.other_fields, weight="B", config=SEARCH_CONFIG)
    rows = (
        search_type.queryset()
        .annotate(stored=search_document(model._meta.db_table), expected=expected)
        .values_list("stored", "expected")
    )
    assert rows
    for stored, computed in rows:
        assert stored == computed
        assert stored


@pytest.mark.parametrize("search_type", STORED, ids=lambda search_type: search_type.key)
def test_search_matches_through_the_gin_index(one_of_each, search_type):
    table = search_type.queryset().model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            f'EXPLAIN SELECT 1 FROM "{table}" '
            "WHERE search_document @@ websearch_to_tsquery('english', 'energy')"
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert f"{table}_search_gin" in plan


@pytest.mark.parametrize("search_type", STORED, ids=lambda search_type: search_type.key)
def test_site_search_reads_the_gin_index_also_when_it_matches_topics(one_of_each, search_type):
    """A record is found by its document or its topics: the query keeps the index."""
    table = search_type.queryset().model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")

    plan = postgresql_matches(search_type, "energy").explain()

    assert f"{table}_search_gin" in plan


def test_stored_document_follows_an_update():
    organisation = OrganisationFactory(name="Harbour Works", description="Shipping.")
    assert [group.key for group in search("hydrogen")] == []

    type(organisation).objects.filter(pk=organisation.pk).update(
        description=Concat("description", Value(" Hydrogen valley."))
    )

    groups = search("hydrogen")
    assert [(group.key, group.count) for group in groups] == [("organisations", 1)]
    assert "Harbour Works" in groups[0].hits[0].title
