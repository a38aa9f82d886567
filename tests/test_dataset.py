import hashlib
import itertools
from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, F, Q

from agreements.models import Agreement
from conferences.models import Conference, ConferenceHost, Quote, Session
from core.changes import records_changed_at
from core.models import Tombstone
from members.models import Membership, Organisation, Person
from ops.dataset import AS_OF, dataset_models, generate_dataset
from ops.dataset.builder import DatasetBuilder
from ops.dataset.rows import LARGE_PARTICIPANTS, LARGE_PROGRAMME
from ops.dataset.vocabulary import COUNTRIES
from portal.models import ApiToken
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

# What seed 1 gives at scale 0.02. A deliberate change to the generator changes these numbers:
# check that the new ones are what was meant, then update them.
SCALE = 0.02
COUNTS_AT_SCALE = {
    # The members' area starts empty: contacts come from invitations staff send.
    "members.Contact": 0,
    "members.Invitation": 0,
    "members.Proposal": 0,
    "agreements.AgreementConfirmation": 0,
    "agreements.AgreementDocument": 0,
    "agreements.AgreementReminder": 0,
    "members.Topic": 40,
    "members.Division": 6,
    "members.Organisation": 20,
    "members.Organisation_topics": 51,
    "members.Membership": 29,
    "members.Person": 100,
    "members.Office": 302,
    "conferences.Conference": 4,
    "conferences.Conference_topics": 12,
    # The large programme's conference: every one of the 20 organisations takes part.
    "conferences.Conference_participating_organisations": 29,
    "conferences.ConferenceHost": 4,
    "conferences.Session": 360,
    "conferences.Session_topics": 507,
    "conferences.Session_organisations_visited": 2,
    "conferences.Appearance": 1021,
    "conferences.Decision": 0,
    "conferences.Award": 1,
    "conferences.Quote": 0,
    "agreements.Agreement": 200,
    "agreements.Agreement_topics": 518,
    "agreements.AgreementParty": 440,
}


def rows_in_database() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in dataset_models(history=False)
        if model.objects.exists()
    }


def digest() -> str:
    """A hash of every row of every table of the dataset, primary keys and timestamps included."""
    hashed = hashlib.sha256()
    for model in dataset_models(history=False):
        columns = [field.attname for field in model._meta.concrete_fields]
        hashed.update(model._meta.label.encode())
        for row in model.objects.order_by("pk").values_list(*columns):
            hashed.update(repr(row).encode())
    return hashed.hexdigest()


def generate(**options) -> str:
    out = StringIO()
    call_command("generate_dataset", stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def dataset() -> dict[str, int]:
    return generate_dataset(scale=SCALE, seed=1)


def test_generate_dataset_counts_at_scale(dataset):
    assert dataset == COUNTS_AT_SCALE
    assert rows_in_database() == {label: n for label, n in COUNTS_AT_SCALE.items() if n}


@pytest.mark.parametrize("scale", [0.01, 0.03])
def test_generate_dataset_counts_scale_with_scale(scale):
    counts = generate_dataset(scale=scale, seed=7)

    assert {label: counts[label] for label in ("members.Topic", "members.Division")} == {
        "members.Topic": 40,
        "members.Division": 6,
    }
    assert counts["members.Organisation"] == round(1_000 * scale)
    assert counts["members.Person"] == round(5_000 * scale)
    assert counts["conferences.Conference"] == round(200 * scale)
    # Twenty items each, and one world conference's programme of LARGE_PROGRAMME.
    assert counts["conferences.Session"] == 20 * round(200 * scale) + LARGE_PROGRAMME - 20
    assert counts["agreements.Agreement"] == round(10_000 * scale)
    agreements = counts["agreements.Agreement"]
    assert 2 * agreements <= counts["agreements.AgreementParty"] <= 3 * agreements
    assert agreements <= counts["agreements.Agreement_topics"] <= 4 * agreements
    assert counts["members.Membership"] <= 3 * counts["members.Organisation"]
    sessions = counts["conferences.Session"]
    # Parallel sessions have a moderator and one to three speakers.
    assert 1.5 * sessions <= counts["conferences.Appearance"] <= 4 * sessions
    assert rows_in_database() == {label: n for label, n in counts.items() if n}


def test_generate_dataset_same_seed_same_rows():
    generate_dataset(scale=0.01, seed=3)
    first = digest()
    generate_dataset(scale=0.01, seed=3, replace=True)
    assert digest() == first
    generate_dataset(scale=0.01, seed=4, replace=True)
    assert digest() != first


def test_generated_rows_pass_full_clean(dataset):
    for model in dataset_models(history=False):
        count = model.objects.count()
        step = max(1, count // 25)
        for row in model.objects.order_by("pk")[::step]:
            row.full_clean()


def test_generated_rows_keep_the_rules_checked_outside_the_database(dataset):
    """Rules that forms and clean() check, which the database cannot."""
    outside_conference = Session.objects.filter(
        Q(day__lt=F("conference__start_date")) | Q(day__gt=F("conference__end_date"))
    )
    assert not outside_conference.exists()
    assert not Quote.objects.exclude(session__conference=F("conference")).exists()
    for organisation in Organisation.objects.prefetch_related("memberships"):
        periods = sorted(organisation.memberships.all(), key=lambda m: m.started_on)
        for earlier, later in itertools.pairwise(periods):
            assert earlier.ended_on is not None and earlier.ended_on < later.started_on
    agreements = Agreement.objects.annotate(
        party_count=Count("parties", distinct=True), topic_count=Count("topics", distinct=True)
    )
    assert set(agreements.values_list("party_count", flat=True)) == {2, 3}
    assert set(agreements.values_list("topic_count", flat=True)) == {1, 2, 3, 4}


def test_generated_dataset_has_one_large_programme_at_a_held_world_conference():
    built = [row for _model, rows in DatasetBuilder(scale=1, seed=1).batches() for row in rows]
    conferences = {row.pk: row for row in built if isinstance(row, Conference)}
    sessions = Counter(row.conference_id for row in built if isinstance(row, Session))

    large = [pk for pk, count in sessions.items() if count == LARGE_PROGRAMME]
    assert len(large) == 1
    assert set(sessions.values()) == {20, LARGE_PROGRAMME}
    conference = conferences[large[0]]
    assert (conference.kind, conference.start_date.year, conference.status) == (
        "world",
        2025,
        "held",
    )
    # As a world conference reports them, at every scale.
    hosts = {
        row.organisation_id
        for row in built
        if isinstance(row, ConferenceHost) and row.conference_id == conference.pk
    }
    taking_part = [
        row.organisation_id
        for row in built
        if isinstance(row, Conference.participating_organisations.through)
        and row.conference_id == conference.pk
    ]
    assert len(taking_part) == len(set(taking_part))
    assert not hosts & set(taking_part)
    assert len(hosts) + len(taking_part) == LARGE_PARTICIPANTS


def test_generated_organisations_lie_in_their_country(dataset):
    cities = {(country.code, city.name): city for country in COUNTRIES for city in country.cities}
    placed = Organisation.objects.filter(latitude__isnull=False)
    assert placed.exists()
    for organisation in placed:
        city = cities[organisation.country.code, organisation.city]
        assert abs(float(organisation.latitude) - city.latitude) < 0.2
        assert abs(float(organisation.longitude) - city.longitude) < 0.2


def test_generated_conferences_span_the_years_with_unique_editions():
    built = [row for _model, rows in DatasetBuilder(scale=1, seed=1).batches() for row in rows]
    conferences = [row for row in built if isinstance(row, Conference)]

    world = [c for c in conferences if c.kind == Conference.Kind.WORLD]
    assert sorted(c.edition for c in world) == list(range(1, 45))
    assert {c.edition: c.start_date.year for c in world}[42] == 2025
    years = [c.start_date.year for c in conferences]
    assert (min(years), max(years)) == (1984, 2027)
    divisional = [(c.division_id, c.edition) for c in conferences if c.kind == "division"]
    assert len(set(divisional)) == len(divisional)
    assert not [c for c in conferences if c.kind == Conference.Kind.OTHER and c.edition]
    held = {c.status for c in conferences if c.end_date < AS_OF}
    assert held == {"held", "cancelled"}
    agreements = [row for row in built if isinstance(row, Agreement)]
    assert {a.status for a in agreements} == set(Agreement.Status.values)
    assert {a.is_public for a in agreements} == {True, False}
    # Some renew or amend an earlier one of the same parties; a termination says when and why.
    assert {a.relation for a in agreements} == {"", "renews", "amends"}
    assert all(bool(a.terminated_on) == bool(a.termination_reason) for a in agreements)
    assert any(a.terminated_on for a in agreements)
    memberships = [row for row in built if isinstance(row, Membership)]
    assert {m.status for m in memberships} == set(Membership.Status.values)


def test_generate_dataset_moves_the_records_changed_clock():
    before = records_changed_at()
    generate_dataset(scale=0.01, seed=1)
    assert records_changed_at() > before


def test_generate_dataset_command_prints_counts_and_time():
    output = generate(scale=0.01, seed=1)

    assert "members.Organisation" in output
    lines = {line.split()[0]: line.split()[1] for line in output.splitlines() if line[:2] == "  "}
    assert lines["members.Organisation"] == "10"
    assert lines["conferences.Session"] == "320"
    assert lines["agreements.Agreement"] == "100"
    assert "Generated the dataset at scale 0.01 with seed 1 in" in output


def test_generate_dataset_command_refuses_a_database_with_records():
    OrganisationFactory(name="Existing Park")

    with pytest.raises(CommandError, match="--replace"):
        generate(scale=0.01)

    assert list(Organisation.objects.values_list("name", flat=True)) == ["Existing Park"]


def test_generate_dataset_command_replace_deletes_previous_records(partner_token, staff_token):
    existing = Organisation.objects.get()  # the partner token's organisation
    Person.objects.create(name="Earlier Person", slug="earlier-person", affiliation=existing)
    Person.objects.create(name="Gone Person", slug="gone-person").delete()
    assert existing.history.exists()
    assert Tombstone.objects.exists()

    generate(scale=0.01, seed=1, replace=True)

    assert not Organisation.objects.filter(pk=existing.pk, name=existing.name).exists()
    assert not Person.objects.filter(name="Earlier Person").exists()
    assert Organisation.objects.count() == 10
    assert not Organisation.history.exists()
    # A partner token belongs to its organisation; a staff token stays.
    assert list(ApiToken.objects.all()) == [staff_token]
    # What left before refers to ids the new records take again.
    assert not Tombstone.objects.exists()


def test_generate_dataset_writes_nothing_when_building_fails(monkeypatch):
    def fail(self):
        raise RuntimeError("no agreements today")
        yield

    monkeypatch.setattr(DatasetBuilder, "_agreements", fail)

    with pytest.raises(RuntimeError, match="no agreements today"):
        generate_dataset(scale=0.01, seed=1)

    assert rows_in_database() == {}


def test_generate_dataset_command_refuses_a_tiny_scale():
    with pytest.raises(CommandError, match="scale"):
        generate(scale=0.001)
    assert not Organisation.objects.exists()


def test_generate_dataset_dates_do_not_depend_on_today(dataset):
    stamps = Organisation.objects.values_list("created", "modified")
    assert {created.date() for created, _modified in stamps} == {AS_OF}
    assert all(created == modified for created, modified in stamps)


def catalog(connection) -> list[tuple]:
    """The constraints and indexes of the dataset's tables: (table, name, kind, columns).

    Not their text: PostgreSQL may word a partial index's condition differently once rebuilt.
    """
    tables = [model._meta.db_table for model in dataset_models(history=False)]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, contype::text, conkey::text"
            " FROM pg_constraint WHERE conrelid = ANY(%s::regclass[])"
            " UNION ALL SELECT indrelid::regclass::text, indexrelid::regclass::text,"
            " CASE WHEN indisunique THEN 'unique index' ELSE 'index' END, indkey::text"
            " FROM pg_index WHERE indrelid = ANY(%s::regclass[])"
            " ORDER BY 1, 2, 3",
            [tables, tables],
        )
        return cursor.fetchall()


def test_generate_dataset_copies_the_rows_bulk_create_writes_on_postgresql(monkeypatch):
    from django.db import connection

    from ops.dataset import writing

    if connection.vendor != "postgresql":
        pytest.skip("COPY is PostgreSQL's")
    before = catalog(connection)
    generate_dataset(scale=0.01, seed=3)
    copied = digest()
    assert catalog(connection) == before  # foreign keys and indexes put back as they were
    assert len(before) > 50

    monkeypatch.setattr(writing, "copies", lambda connection: False)
    generate_dataset(scale=0.01, seed=3, replace=True)

    assert digest() == copied
