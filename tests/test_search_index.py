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
    TopicFactory,
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


def _under_a_limit(plan: str, text: str) -> bool:
    """Whether every plan node reading `text` sits under a Limit other than the plan's own."""
    lines = plan.splitlines()
    found = False
    for index, line in enumerate(lines):
        if text not in line:
            continue
        found = True
        depth = len(line) - len(line.lstrip())
        limited = False
        for parent in reversed(lines[1:index]):
            parent_depth = len(parent) - len(parent.lstrip())
            if "->" in parent and parent_depth < depth:
                depth = parent_depth
                limited = limited or "Limit" in parent
        if not limited:
            return False
    return found


@pytest.mark.parametrize("search_type", STORED, ids=lambda search_type: search_type.key)
def test_site_search_reads_a_bounded_set_of_matches(one_of_each, search_type):
    """A record is found by its document or its topics, each side through its own index and
    stopping after COUNT_LIMIT + 1 keys: ranking and counting never read every match. (On a
    near-empty table the planner may read the document through another index first.)"""
    TopicFactory(name="Clean energy")
    TopicFactory(name="Energy efficiency")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")

    plan = postgresql_matches(search_type, "energy").explain()

    assert _under_a_limit(plan, "search_document @@")
    if search_type.tags:
        assert _under_a_limit(plan, "topic_id = ANY")


def test_stored_document_follows_an_update():
    organisation = OrganisationFactory(name="Harbour Works", description="Shipping.")
    assert [group.key for group in search("hydrogen")] == []

    type(organisation).objects.filter(pk=organisation.pk).update(
        description=Concat("description", Value(" Hydrogen valley."))
    )

    groups = search("hydrogen")
    assert [(group.key, group.count) for group in groups] == [("organisations", 1)]
    assert "Harbour Works" in groups[0].hits[0].title
