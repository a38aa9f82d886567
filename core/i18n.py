"""Translations looked up once per process, not on every use.

A message is looked up in each catalog of the language in turn, then through every fallback
translation: django-countries chains pycountry's catalogs of country names after Django's,
and a message of the site's own language (English) is in none of them. Each lookup of a
`{% translate %}` or a `{% blocktranslate count %}` walked that chain of misses, about
20 µs each; a list of 40 topics, with three counted phrases per row, spent a third of its
rendering there.

Catalogs do not change while a process runs (a new language or catalog makes new
translation objects: Django drops them when LANGUAGES or LOCALE_PATHS change), so each
translation object remembers what each message gave it: `install()` wraps
`DjangoTranslation.gettext` and `ngettext` with a memo held on the object. The memo is
bounded, so that a program translating text of unbounded variety cannot grow it without end;
counts are remembered for the small numbers pages show most, larger ones looked up as before.
"""

import threading
from contextlib import contextmanager

from django.utils.translation import trans_real

try:  # django-countries asks, now and then, for a lookup that stops before the fallbacks
    import django_countries
except ImportError:  # pragma: no cover
    django_countries = None

# Messages remembered per language: far more than the site's own catalog holds.
MAX_MESSAGES = 20_000
# `ngettext` is remembered for counts below this; the rest are looked up each time.
MAX_REMEMBERED_COUNT = 1_000

_MEMO = "_sciparks_memo"


# Lookups under way, in any thread, inside django-countries' `no_translation_fallback()`.
_without_fallback = 0
_counting = threading.Lock()


def _remembered() -> bool:
    """False while a lookup runs inside django-countries' `no_translation_fallback()`, where
    a message missing from the catalogs reads as "" (to tell whether a country's name is
    translated): what is looked up then is neither remembered nor answered from memory.

    Counted for the whole process, not per thread: django-countries keeps its own state in a
    context-local that costs a few microseconds to read, on every lookup of every page. While
    one thread looks names up that way, the others look theirs up in the catalogs, as they
    would without the memo: slower for that moment, never wrong."""
    return not _without_fallback


def _counted(no_translation_fallback):
    """django-countries' `no_translation_fallback()`, counted in `_without_fallback`."""

    @contextmanager
    def counted():
        global _without_fallback
        with _counting:
            _without_fallback += 1
        try:
            with no_translation_fallback():
                yield
        finally:
            with _counting:
                _without_fallback -= 1

    return counted


def _memo(translation) -> dict:
    memo = translation.__dict__.get(_MEMO)
    if memo is None:
        memo = translation.__dict__[_MEMO] = {}
    return memo


def install() -> None:
    """Wrap DjangoTranslation's lookups with the memo (once; idempotent)."""
    cls = trans_real.DjangoTranslation
    if getattr(cls, "_sciparks_memo_installed", False):
        return
    if django_countries is not None:
        # Looked up by name when django-countries translates a country's name.
        django_countries.no_translation_fallback = _counted(
            django_countries.no_translation_fallback
        )
    looked_up_gettext = cls.gettext
    looked_up_ngettext = cls.ngettext

    def gettext(self, message):
        if not _remembered():
            return looked_up_gettext(self, message)
        memo = _memo(self)
        try:
            return memo[message]
        except KeyError:
            pass
        except TypeError:  # not hashable: nothing a catalog could hold
            return looked_up_gettext(self, message)
        result = looked_up_gettext(self, message)
        if len(memo) < MAX_MESSAGES:
            memo[message] = result
        return result

    def ngettext(self, msgid1, msgid2, n):
        if type(n) is not int or not 0 <= n < MAX_REMEMBERED_COUNT or not _remembered():
            return looked_up_ngettext(self, msgid1, msgid2, n)
        key = (msgid1, msgid2, n)
        memo = _memo(self)
        try:
            return memo[key]
        except KeyError:
            pass
        except TypeError:
            return looked_up_ngettext(self, msgid1, msgid2, n)
        result = looked_up_ngettext(self, msgid1, msgid2, n)
        if len(memo) < MAX_MESSAGES:
            memo[key] = result
        return result

    cls.gettext = gettext
    cls.ngettext = ngettext
    cls._sciparks_memo_installed = True
