"""The programme as a conference's page shows it: every string an item needs, computed once.

A world conference has hundreds of items and a thousand appearances. Asking each model
instance for its address (a `reverse()` each) and its choice labels (`get_FOO_display()`
hashes every lazy label of the field on each call) cost most of the page's time; here each
address pattern is reversed once and each label translated once per page.
"""

import itertools
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import quote

from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from .models import Appearance, Session
from .templatetags.conference_tags import time_range

# What reverse() leaves unquoted in an argument (django.urls.resolvers).
_URL_SAFE = "!$&'()*+,;=/~:@"
_MARKER = "9999999999"  # matches both the int and the slug converters
# From this many items on, a programme is shown compact: each item with its people by name
# and role (its description, topics and its people's affiliations are on the item's page),
# and only the opening and keynote speakers as cards, with a link to everyone on the programme.
COMPACT_FROM = 60
FEATURED_ROLES = {Appearance.Role.OPENING_ADDRESS, Appearance.Role.KEYNOTE}


def path_maker(name: str, argument: str, **fixed: Any) -> Callable[[Any], str]:
    """`reverse(name, kwargs={argument: value, **fixed})` for many values, reversed once."""
    before, after = reverse(name, kwargs={argument: _MARKER, **fixed}).split(_MARKER)
    return lambda value: f"{before}{quote(str(value), safe=_URL_SAFE)}{after}"


def labels(choices: Iterable[tuple[str, Any]]) -> dict[str, str]:
    """A choice's labels in the active language, translated once."""
    return {value: str(label) for value, label in choices}


class ProgrammePage:
    """Addresses and labels for one rendering of a conference's page."""

    def __init__(self, conference, sessions: list[Session]) -> None:
        self.compact = len(sessions) >= COMPACT_FROM
        self.conference_path = conference.get_absolute_url()
        self.session_path = path_maker("conferences:session-detail", "pk", slug=conference.slug)
        self.person_path = path_maker("members:person-detail", "slug")
        self.topic_path = path_maker("members:topic-detail", "slug")
        self.organisation_path = path_maker("members:organisation-detail", "slug")
        self.roles = labels(Appearance.Role.choices)
        self.kinds = labels(Session.Kind.choices)
        self._person_links: dict[int, SafeString] = {}

    def role(self, appearance: Appearance) -> str:
        return self.roles.get(appearance.role, appearance.role)

    def person_link(self, person, link_class: str = "") -> SafeString:
        """As includes/_person_name.html: a link to the person's page, or the name alone
        once the person was removed (their page is gone)."""
        key = (person.pk, link_class)
        if key not in self._person_links:
            if person.removed_at:
                link = format_html("{}", person.name)
            else:
                name = f"{person.honorific} {person.name}" if person.honorific else person.name
                class_attribute = format_html(' class="{}"', link_class) if link_class else ""
                link = format_html(
                    '<a{} href="{}">{}</a>',
                    class_attribute,
                    self.person_path(person.slug),
                    name,
                )
            self._person_links[key] = link
        return self._person_links[key]

    def featured(self, sessions: list[Session]) -> set[int]:
        """The people a compact programme shows as cards: who opens or gives a keynote."""
        return {
            appearance.person_id
            for session in sessions
            for appearance in session.appearances.all()
            if appearance.role in FEATURED_ROLES
        }

    def items(self, sessions: list[Session]) -> list[tuple[Any, list[dict[str, Any]]]]:
        """(day, items) in programme order; each item a dict of what its entry shows."""
        return [
            (day, [self.item(session) for session in day_sessions])
            for day, day_sessions in itertools.groupby(sessions, key=lambda s: s.day)
        ]

    def session_url(self, session: Session) -> str:
        """In a compact programme, relative to the conference's page ("sessions/12/"): the
        conference's address repeated made a tenth of the page."""
        path = self.session_path(session.pk)
        if self.compact and path.startswith(self.conference_path):
            return path[len(self.conference_path) :]
        return path

    def item(self, session: Session) -> dict[str, Any]:
        return {
            "anchor": session.programme_anchor,
            "time": time_range(session),
            "kind": self.kinds.get(session.kind, session.kind),
            "url": self.session_url(session),
            "title": session.title,
            "location": session.location,
            "description": "" if self.compact else session.description,
            "appearances": [
                {
                    "person": self.person_link(appearance.person),
                    "role": self.role(appearance),
                    "capacity": "" if self.compact else appearance.capacity,
                }
                for appearance in session.appearances.all()
            ],
            "visited": [
                {"url": self.organisation_path(org.slug), "name": org.display_name}
                for org in session.organisations_visited.all()
            ],
            "topics": []
            if self.compact
            else [
                {"url": self.topic_path(topic.slug), "name": topic.name}
                for topic in session.topics.all()
            ],
        }
