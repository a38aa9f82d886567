"""The programme as a conference's page shows it: every string an item needs, computed once.

A world conference has hundreds of items and a thousand appearances. Asking each model
instance for its address (a `reverse()` each) and its choice labels (`get_FOO_display()`
hashes every lazy label of the field on each call) cost most of the page's time; here each
address pattern is reversed once and each label translated once per page.
"""

import itertools
from collections.abc import Iterable
from html import escape
from types import SimpleNamespace
from typing import Any

from django.db.models.fields.files import ImageFieldFile
from django.utils.html import linebreaks
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from core.db.prepared import PreparedRows
from core.dependencies import depends_on_record
from core.routes import path_maker
from core.templatetags.site import when
from members.models import Organisation, Person, Topic

from .models import Appearance, Session

# From this many items on, a programme is shown compact: each item with its people by name
# and role (its description, topics and its people's affiliations are on the item's page),
# and only the opening and keynote speakers as cards, with a link to everyone on the programme.
COMPACT_FROM = 60
FEATURED_ROLES = {Appearance.Role.OPENING_ADDRESS, Appearance.Role.KEYNOTE}


class ProgrammePerson:
    """A person as the programme shows them: read as values, not as a model instance (a large
    programme names hundreds of people, and each instance costs more than its row)."""

    COLUMNS = (
        "pk", "name", "honorific", "slug", "removed_at", "job_title", "display_consent",
        "photo", "photo_width", "photo_height",
    )  # fmt: skip
    __slots__ = COLUMNS

    def __init__(self, *values) -> None:
        for name, value in zip(self.COLUMNS, values, strict=True):
            setattr(self, name, value)

    @property
    def public_photo(self) -> ImageFieldFile | None:
        """As Person.public_photo: the photo only with the person's consent."""
        if not (self.display_consent and self.photo):
            return None
        return ImageFieldFile(None, Person._meta.get_field("photo"), self.photo)


class ProgrammeAppearance:
    COLUMNS = (
        "pk", "person", "person_id", "role", "capacity", "affiliation_name", "affiliation_pk",
    )  # fmt: skip
    __slots__ = COLUMNS

    def __init__(self, *values) -> None:
        for name, value in zip(self.COLUMNS, values, strict=True):
            setattr(self, name, value)


class ProgrammeSession:
    """A session as its conference's page shows it, with its appearances, topics and the
    organisations visited as lists."""

    COLUMNS = (
        "pk", "kind", "is_published", "title", "description", "day", "start_time", "end_time",
        "location",
    )  # fmt: skip
    __slots__ = (*COLUMNS, "appearances", "topics", "visited")

    def __init__(self, *values) -> None:
        for name, value in zip(self.COLUMNS, values, strict=True):
            setattr(self, name, value)
        self.appearances: list[ProgrammeAppearance] = []
        self.topics: list[tuple[str, str]] = []  # (name, slug)
        self.visited: list[tuple[str, str]] = []  # (display name, slug)

    @property
    def programme_anchor(self) -> str:
        return f"session-{self.pk}"


PERSON_COLUMNS = [f"person__{name}" for name in ProgrammePerson.COLUMNS[1:]]


# The four queries of a programme, compiled once (core/db/prepared.py): a world conference's
# page is rebuilt whenever any of its hundreds of records changes.
_SESSIONS = PreparedRows(
    lambda conference_id: (
        Session.objects.filter(conference=conference_id)
        .in_programme_order()
        .values_list(*ProgrammeSession.COLUMNS)
    )
)
_APPEARANCES = PreparedRows(
    lambda conference_id: Appearance.objects.filter(session__conference=conference_id)
    .order_by("order", "pk")
    .values_list(
        "pk", "session_id", "role", "capacity", "person_id", *PERSON_COLUMNS,
        "person__affiliation_id", "person__affiliation__name",
    )
)  # fmt: skip
_TOPICS = PreparedRows(
    lambda conference_id: (
        Session.topics.through.objects.filter(session__conference=conference_id)
        .order_by("topic__name", "topic_id")
        .values_list("session_id", "topic_id", "topic__name", "topic__slug")
    )
)
_VISITED = PreparedRows(
    lambda conference_id: Session.organisations_visited.through.objects.filter(
        session__conference=conference_id
    )
    .order_by("organisation__name", "organisation_id")
    .values_list(
        "session_id", "organisation_id", "organisation__name", "organisation__short_name",
        "organisation__slug",
    )
)  # fmt: skip


def programme_of(conference_id: int) -> list[ProgrammeSession]:
    """Every session of the conference in programme order (held back ones too: the page
    decides), in four queries of values. The page depends on each record read, as it would
    on the instances it loaded (core/dependencies.py)."""
    sessions = {
        row[0]: ProgrammeSession(*row) for row in _SESSIONS.tuples(conference_id=conference_id)
    }
    people: dict[int, ProgrammePerson] = {}
    for (
        pk,
        session_id,
        role,
        capacity,
        person_id,
        *person,
        affiliation_pk,
        affiliation,
    ) in _APPEARANCES.tuples(conference_id=conference_id):
        if person_id not in people:
            people[person_id] = ProgrammePerson(person_id, *person)
            depends_on_record(Person, person_id)
        sessions[session_id].appearances.append(
            ProgrammeAppearance(
                pk, people[person_id], person_id, role, capacity, affiliation, affiliation_pk
            )
        )
        depends_on_record(Appearance, pk)
    for session_id, topic_id, name, slug in _TOPICS.tuples(conference_id=conference_id):
        sessions[session_id].topics.append((name, slug))
        depends_on_record(Topic, topic_id)
    for session_id, organisation_id, name, short_name, slug in _VISITED.tuples(
        conference_id=conference_id
    ):
        # Organisation.display_name, without an instance.
        display_name = Organisation.display_name.fget(
            SimpleNamespace(name=name, short_name=short_name)
        )
        sessions[session_id].visited.append((display_name, slug))
        depends_on_record(Organisation, organisation_id)
    for pk in sessions:
        depends_on_record(Session, pk)
    return list(sessions.values())


def labels(choices: Iterable[tuple[str, Any]]) -> dict[str, str]:
    """A choice's labels in the active language, translated once."""
    return {value: str(label) for value, label in choices}


class ProgrammePage:
    """Addresses and labels for one rendering of a conference's page."""

    def __init__(self, conference, sessions: list[ProgrammeSession]) -> None:
        self.compact = len(sessions) >= COMPACT_FROM
        self.conference_path = conference.get_absolute_url()
        self.session_path = path_maker("conferences:session-detail", "pk", slug=conference.slug)
        self.person_path = path_maker("members:person-detail", "slug")
        self.topic_path = path_maker("members:topic-detail", "slug")
        self.organisation_path = path_maker("members:organisation-detail", "slug")
        self.roles = labels(Appearance.Role.choices)
        self.kinds = labels(Session.Kind.choices)
        self._person_links: dict[int, SafeString] = {}
        self.all_day = _("All day")
        self.range_format = _("%(start)s–%(end)s")
        self.visiting = escape(_("Visiting:"))

    def role(self, appearance: Appearance) -> str:
        return self.roles.get(appearance.role, appearance.role)

    def person_link(self, person, link_class: str = "") -> SafeString:
        """As includes/_person_name.html: a link to the person's page, or the name alone
        once the person was removed (their page is gone)."""
        key = (person.pk, link_class)
        if key not in self._person_links:
            # html.escape is django.utils.html.escape without the lazy-string checks.
            if person.removed_at:
                link = escape(person.name)
            else:
                name = f"{person.honorific} {person.name}" if person.honorific else person.name
                class_attribute = f' class="{escape(link_class)}"' if link_class else ""
                path = escape(self.person_path(person.slug))
                link = f'<a{class_attribute} href="{path}">{escape(name)}</a>'
            self._person_links[key] = mark_safe(link)
        return self._person_links[key]

    def time_range(self, session: ProgrammeSession) -> str:
        """As the `time_range` filter, its words translated once per page."""
        if session.start_time is None:
            return self.all_day
        start = session.start_time.strftime("%H:%M")
        if session.end_time is None:
            return start
        return self.range_format % {"start": start, "end": session.end_time.strftime("%H:%M")}

    def featured(self, sessions: list[ProgrammeSession]) -> set[int]:
        """The people a compact programme shows as cards: who opens or gives a keynote."""
        return {
            appearance.person_id
            for session in sessions
            for appearance in session.appearances
            if appearance.role in FEATURED_ROLES
        }

    def html(self, sessions: list[ProgrammeSession]) -> SafeString:
        """The programme's days, each a section listing its items in programme order."""
        parts = []
        for day, day_sessions in itertools.groupby(sessions, key=lambda s: s.day):
            iso = day.isoformat()
            parts.append(
                f'<section class="programme-day" aria-labelledby="day-{iso}">\n'
                f'<h3 id="day-{iso}">{when(day, weekday=True)}</h3>\n<ul class="programme">\n'
            )
            parts.extend(self.item_html(session) for session in day_sessions)
            parts.append("</ul>\n</section>\n")
        return mark_safe("".join(parts))  # every value is escaped in item_html()

    def session_url(self, session: ProgrammeSession) -> str:
        """In a compact programme, relative to the conference's page ("sessions/12/"): the
        conference's address repeated made a tenth of the page."""
        path = self.session_path(session.pk)
        if self.compact and path.startswith(self.conference_path):
            return path[len(self.conference_path) :]
        return path

    def item_html(self, session: ProgrammeSession) -> str:
        """One item as the page's markup, its values escaped (a template per item cost
        most of a large programme's page)."""
        parts = [
            f'<li id="{session.programme_anchor}">\n'
            f'<p class="programme__time">{escape(self.time_range(session))}</p>\n<div>\n'
            f'<span class="badge">{escape(self.kinds.get(session.kind, session.kind))}</span>\n'
            f'<h4><a href="{escape(self.session_url(session))}">{escape(session.title)}</a></h4>\n'
        ]
        if session.location:
            parts.append(f'<p class="muted">{escape(session.location)}</p>\n')
        if session.description and not self.compact:
            parts.append(f"{linebreaks(session.description, autoescape=True)}\n")
        if session.appearances and self.compact:
            people = ", ".join(
                f"{self.person_link(appearance.person)} ({escape(self.role(appearance))})"
                for appearance in session.appearances
            )
            parts.append(f"<p>{people}</p>\n")
        elif session.appearances:
            parts.append("<ul>\n")
            for appearance in session.appearances:
                capacity = (
                    f', <span class="muted">{escape(appearance.capacity)}</span>'
                    if appearance.capacity
                    else ""
                )
                parts.append(
                    f"<li>{self.person_link(appearance.person)} — "
                    f"{escape(self.role(appearance))}{capacity}</li>\n"
                )
            parts.append("</ul>\n")
        if session.visited:
            visited = ", ".join(
                f'<a href="{escape(self.organisation_path(slug))}">{escape(name)}</a>'
                for name, slug in session.visited
            )
            parts.append(f"<p>{self.visiting} {visited}</p>\n")
        if session.topics and not self.compact:
            topics = "".join(
                f'<li><a href="{escape(self.topic_path(slug))}">'
                f'<span class="badge badge--muted">{escape(name)}</span></a></li>'
                for name, slug in session.topics
            )
            parts.append(f'<ul class="tags">{topics}</ul>\n')
        parts.append("</div>\n</li>\n")
        return "".join(parts)
