"""Translations are remembered per language object, bounded, and never mix languages."""

import pytest
from django.utils import translation
from django.utils.translation import trans_real

from core import i18n


def test_lookups_are_remembered_per_language():
    with translation.override("fr"):
        assert translation.gettext("Yes") == "Oui"
        french = trans_real.translation("fr")
        assert french.__dict__[i18n._MEMO]["Yes"] == "Oui"
    with translation.override("de"):
        assert translation.gettext("Yes") == "Ja"
    with translation.override("fr"):
        assert translation.gettext("Yes") == "Oui"


def test_counted_phrases_follow_the_count():
    with translation.override("fr"):
        phrase = ("Please submit at most %(num)d form.", "Please submit at most %(num)d forms.")
        one, many = "Veuillez soumettre au plus %(num)d formulaire", "%(num)d formulaires."
        assert translation.ngettext(*phrase, 1) == f"{one}."
        assert translation.ngettext(*phrase, 2).endswith(many)
        assert translation.ngettext(*phrase, 1) == f"{one}."
        # Large counts are looked up each time, not remembered.
        assert translation.ngettext(*phrase, 5000).endswith(many)
        memo = trans_real.translation("fr").__dict__[i18n._MEMO]
        assert (*phrase, 2) in memo
        assert (*phrase, 5000) not in memo


def test_the_memo_is_bounded(monkeypatch):
    monkeypatch.setattr(i18n, "MAX_MESSAGES", 3)
    english = trans_real.translation("en-gb")
    english.__dict__[i18n._MEMO] = {}
    with translation.override("en-gb"):
        for number in range(10):
            assert translation.gettext(f"A message never written {number}") == (
                f"A message never written {number}"
            )
    assert len(english.__dict__[i18n._MEMO]) == 3


def test_country_names_survive_lookups_without_fallback():
    """django-countries looks names up without the fallbacks ("" when untranslated) before
    it falls back to its own: those lookups must not be remembered as the answer."""
    from django_countries import countries, no_translation_fallback

    with translation.override("en-gb"):
        with no_translation_fallback():
            translation.gettext("United Kingdom")
        assert dict(countries)["GB"] == "United Kingdom"
        assert translation.gettext("United Kingdom") == "United Kingdom"


def test_nothing_is_remembered_while_django_countries_looks_up_without_fallback():
    from django_countries import no_translation_fallback

    assert i18n._remembered()
    with no_translation_fallback():
        assert not i18n._remembered()
        with no_translation_fallback():
            assert not i18n._remembered()
        assert not i18n._remembered()
    assert i18n._remembered()


def test_an_error_inside_the_lookup_without_fallback_ends_it():
    from django_countries import no_translation_fallback

    with pytest.raises(LookupError), no_translation_fallback():
        raise LookupError
    assert i18n._remembered()
