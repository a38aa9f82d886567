"""Country names read from the names translated once per language."""

import pytest
from django.utils import translation
from django_countries import countries
from django_countries.fields import Country

from core.countries import country_choices, country_name


@pytest.mark.parametrize("language", ["en-gb", "fr", "de"])
def test_every_name_is_django_countries_name_in_the_active_language(language):
    with translation.override(language):
        for code, _name in countries:
            assert country_name(code) == countries.name(code)
            assert country_name(Country(code)) == Country(code).name
        assert country_choices() == [(code, str(name)) for code, name in countries]


def test_the_names_follow_the_active_language():
    with translation.override("fr"):
        french = country_name("DE")
    with translation.override("en-gb"):
        english = country_name("DE")
    assert (english, french) == ("Germany", "Allemagne")


def test_a_code_it_does_not_know_is_named_as_django_countries_names_it():
    assert country_name("de") == countries.name("de") == "Germany"
    assert country_name("XX") == "" == countries.name("XX")
    assert country_name("") == ""


def test_the_api_writes_a_country_as_django_countries_would():
    from django_countries.serializer_fields import CountryField

    from core.rest.serializers import CountryCodeField

    ours, theirs = CountryCodeField(), CountryField()
    values = [code for code, _name in countries] + ["", None, "XK", "usa", "gb", "826", "ZZ"]
    for value in values:
        for given in (value, Country(value or "")):
            assert ours.to_representation(given) == theirs.to_representation(given), given
