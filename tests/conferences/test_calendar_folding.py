"""The calendar's own folding gives the bytes icalendar's `to_ical()` gives."""

import datetime

from hypothesis import example, given, settings
from hypothesis import strategies as st
from icalendar import Calendar, Event

from conferences.calendar import fold, to_ical

# Long runs of escapes and multi-octet characters are where a fold can go wrong.
TEXT = st.text(
    alphabet=st.sampled_from(["a", " ", "\\", "^", ",", ";", "é", "中", "😀", "\t"])
    | st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]),
    max_size=400,
)


def library_fold(line: str) -> str:
    """icalendar's own folding of one content line."""
    from icalendar.parser import Contentline

    return Contentline(line).to_ical().decode()


@given(TEXT)
@example("x" * 74)
@example("x" * 75)
@example("x" * 73 + "\\,")
@example("\\" * 200)
@example("é" * 80)
@settings(max_examples=300, deadline=None)
def test_fold_is_the_libraries(line):
    assert fold(line) == library_fold(line)


def test_a_long_line_is_folded_at_74_octets():
    folded = fold("DESCRIPTION:" + "x" * 150)
    pieces = folded.split("\r\n ")
    assert [len(piece) for piece in pieces] == [74, 74, 14]


@given(summary=TEXT, description=TEXT)
@settings(max_examples=50, deadline=None)
def test_a_calendar_is_the_libraries(summary, description):
    cal = Calendar()
    cal.add("prodid", "-//test//EN")
    cal.add("version", "2.0")
    event = Event()
    event.add("uid", "1@example.org")
    event.add("dtstamp", datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC))
    event.add("summary", summary)
    event.add("description", description)
    cal.add_component(event)
    assert to_ical(cal) == cal.to_ical()
