import datetime
from io import StringIO

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_migrations_cover_every_model_change():
    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out)
    except SystemExit as exc:  # makemigrations --check exits 1 when a migration is missing
        pytest.fail(f"Models changed without a migration:\n{out.getvalue()}", pytrace=False)
        raise AssertionError from exc
    assert "No changes detected" in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_lifecycle_migration_gives_each_party_the_agreements_signing_date():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before = [("agreements", "0009_confirmation_fingerprint_not_editable")]
    after = [("agreements", "0010_lifecycle")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    Organisation = old.get_model("members", "Organisation")
    Agreement = old.get_model("agreements", "Agreement")
    Party = old.get_model("agreements", "AgreementParty")
    parks = [
        Organisation.objects.create(name=f"Park {n}", slug=f"park-{n}", country="FI")
        for n in range(3)
    ]
    signed = Agreement.objects.create(
        kind="mou",
        title="Signed",
        slug="signed",
        status="terminated",
        signed_on=datetime.date(2020, 5, 4),
    )
    draft = Agreement.objects.create(kind="mou", title="Draft", slug="draft", status="draft")
    for order, park in enumerate(parks[:2]):
        Party.objects.create(agreement=signed, organisation=park, order=order)
    Party.objects.create(agreement=draft, organisation=parks[2], order=0)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(after)
    new = executor.loader.project_state(after).apps
    Party = new.get_model("agreements", "AgreementParty")
    Agreement = new.get_model("agreements", "Agreement")

    assert list(Party.objects.order_by("pk").values_list("signed_on", flat=True)) == [
        datetime.date(2020, 5, 4),
        datetime.date(2020, 5, 4),
        None,
    ]
    # A termination recorded without its date stands as it was; nothing is made up.
    kept = Agreement.objects.get(slug="signed")
    assert (kept.status, kept.signed_on, kept.terminated_on, kept.termination_reason) == (
        "terminated",
        datetime.date(2020, 5, 4),
        None,
        "",
    )

    # Backwards: the parties' dates go with their column; the agreements stay.
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(before)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
