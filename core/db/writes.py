"""What every app's services do to a record before checking and saving it."""

from collections.abc import Collection, Mapping

from django.db import models


def set_fields(
    record: models.Model, values: Mapping[str, object], *, allowed: Collection[str]
) -> None:
    """Give the record these field values; a name outside `allowed` is the caller's mistake."""
    unknown = set(values).difference(allowed)
    if unknown:
        raise TypeError(f"{type(record).__name__}: cannot set {', '.join(sorted(unknown))}")
    for name, value in values.items():
        setattr(record, name, value)
