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
