"""Helpers shared by the members model tests."""

import datetime

from django.core.exceptions import ValidationError

START = datetime.date(2020, 1, 1)


def error_fields(exc: ValidationError) -> set[str]:
    return set(exc.message_dict)
