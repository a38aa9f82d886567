"""Country choices, translated and sorted once per language.

Iterating django-countries translates and sorts all 249 names each time: a filter form with
a country select did that on every request, a quarter of the time of a directory page.
"""

from functools import cache

from django.conf import settings
from django.utils import translation
from django_countries import countries


@cache
def _country_choices(language: str) -> tuple[tuple[str, str], ...]:
    with translation.override(language):
        return tuple((code, str(name)) for code, name in countries)


def country_choices() -> list[tuple[str, str]]:
    """(code, name) of every country, by name in the active language."""
    return list(_country_choices(translation.get_language() or settings.LANGUAGE_CODE))


@cache
def _country_names(language: str) -> dict[str, str]:
    return dict(_country_choices(language))


def country_name(code) -> str:
    """`countries.name(code)` in the active language, read from the names translated once
    (`_country_choices`): django-countries translates a name again at each call, and a list
    of conferences or organisations names dozens of countries. `code` is a code or a Country."""
    name = _country_names(translation.get_language() or settings.LANGUAGE_CODE).get(str(code))
    return countries.name(code) if name is None else name
