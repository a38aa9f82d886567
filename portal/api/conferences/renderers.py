from icalendar import Calendar
from rest_framework import renderers

from core.rest.renderers import CSVRenderer, is_groups


class ICalendarRenderer(renderers.BaseRenderer):
    """`?format=ics`: the views build the calendar from the records (conferences/calendar.py)."""

    media_type = "text/calendar"
    format = "ics"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, Calendar):
            return data.to_ical()
        raise TypeError("The iCalendar format renders calendars only.")


class LinkRowsCSVRenderer(CSVRenderer):
    """CSV where a host or a speaker reads "science-park-x (host)" rather than as JSON."""

    # Column: the key of the record at the far end of each link (the other keys are scalars).
    links = {"hosts": "organisation", "speakers": "person"}

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if is_groups(data):
            return super().render(data, accepted_media_type, renderer_context)
        rows = data.get("results", []) if isinstance(data, dict) else data or []
        return super().render(
            [self.flatten(row) for row in rows], accepted_media_type, renderer_context
        )

    def flatten(self, row: dict) -> dict:
        row = dict(row)
        for column, far_end in self.links.items():
            if isinstance(row.get(column), list):
                row[column] = [f"{link[far_end]['slug']} ({link['role']})" for link in row[column]]
        return row
