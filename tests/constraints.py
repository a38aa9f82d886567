from contextlib import contextmanager

import pytest
from django.db import IntegrityError, connection, transaction


@contextmanager
def violates(constraint: str, *, sqlite: str | None = None):
    """The write inside must be refused by the database, by this very constraint.

    PostgreSQL names the constraint in its message; SQLite names check constraints and
    expression indexes, but only the columns of a plain unique index (pass them as `sqlite`).
    """
    with pytest.raises(IntegrityError) as info, transaction.atomic():
        yield
    expected = constraint if connection.vendor == "postgresql" else (sqlite or constraint)
    assert expected in str(info.value)
