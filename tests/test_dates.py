"""Dates written one way across the site: core/dates.py and the `{% when %}` tag."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import translation

from core.dates import MONTH, date_range_text, date_text, iso_date

D = datetime.date


def render(source: str, **context) -> str:
    return Template("{% load i18n site %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("start", "end", "precision", "expected"),
    [
        (D(2025, 9, 15), D(2025, 9, 15), "day", "15 September 2025"),
        (D(2025, 9, 15), D(2025, 9, 19), "day", "15–19 September 2025"),
        (D(2024, 9, 30), D(2024, 10, 3), "day", "30 September – 3 October 2024"),
        (D(2024, 12, 30), D(2025, 1, 2), "day", "30 December 2024 – 2 January 2025"),
        (D(2026, 10, 1), D(2026, 10, 31), "month", "October 2026"),
        (D(2026, 10, 1), D(2026, 11, 30), "month", "October – November 2026"),
        (D(2027, 1, 1), D(2027, 12, 31), "year", "2027"),
        (D(2027, 1, 1), D(2028, 12, 31), "year", "2027–2028"),
    ],
)
def test_date_range_text_says_once_what_both_ends_share(start, end, precision, expected):
    assert date_range_text(start, end, precision) == expected


@pytest.mark.parametrize(
    ("precision", "expected"), [("day", "2026-10-05"), ("month", "2026-10"), ("year", "2026")]
)
def test_iso_date_is_cut_to_what_is_known(precision, expected):
    assert iso_date(D(2026, 10, 5), precision) == expected


def test_when_writes_a_date_in_a_time_element():
    html = render("{% when day %}", day=D(2025, 9, 19))

    assert html == '<time datetime="2025-09-19">19 September 2025</time>'


def test_when_writes_a_range_with_its_precision():
    html = render(
        "{% when start end precision %}",
        start=D(2026, 10, 1),
        end=D(2026, 10, 31),
        precision="month",
    )

    assert html == '<time datetime="2026-10">October 2026</time>'


def test_when_names_the_weekday_when_asked():
    html = render("{% when day weekday=True %}", day=D(2025, 9, 16))

    assert html == '<time datetime="2025-09-16">Tuesday 16 September 2025</time>'


def test_when_fits_in_a_sentence():
    html = render(
        "{% when day as since %}{% blocktranslate with date=since %}since {{ date }}"
        "{% endblocktranslate %}",
        day=D(2022, 1, 1),
    )

    assert html == 'since <time datetime="2022-01-01">1 January 2022</time>'


def test_when_writes_nothing_for_no_date():
    assert render("{% when day %}", day=None) == ""


def test_a_date_is_written_in_the_language_of_the_request_each_time():
    start, end = datetime.date(2025, 9, 15), datetime.date(2025, 10, 2)
    with translation.override("en-gb"):
        english = (date_text(start), date_range_text(start, end))
    with translation.override("de"):
        # Django's own German month names: a text kept for one language is not another's.
        assert date_text(datetime.date(2025, 10, 2)) == "2 Oktober 2025"
        assert date_range_text(start, end, MONTH) == "September – Oktober 2025"
    with translation.override("en-gb"):
        assert (date_text(start), date_range_text(start, end)) == english
        assert date_range_text(start, end, MONTH) == "September – October 2025"
