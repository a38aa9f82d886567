"""What a reference to a record reads: its key, slug and name.

The API writes a related record as a reference, `{"id", "slug", "name", "url"}`, and a list of
fifty records writes hundreds of them: loaded whole, each would also read its long texts and
two timestamps (converted in Python, row by row). These load the columns a reference reads.
"""

from django.db import models

REFERENCE_FIELDS = ("slug", "name")


def as_references(queryset: models.QuerySet) -> models.QuerySet:
    """`queryset`'s records with only what a reference to them reads."""
    return queryset.only(*REFERENCE_FIELDS)


def unread_by_reference(model: type[models.Model], relation: str) -> list[str]:
    """The columns of `model`, joined through `relation` (select_related), that a reference
    to it does not read: for `.defer()` on the queryset joining it."""
    return [
        f"{relation}__{field.name}"
        for field in model._meta.concrete_fields
        if not field.primary_key and field.name not in REFERENCE_FIELDS
    ]
