"""Writes to conferences: the API, the admin's actions and its programme editor call these
(the admin's record forms save the model directly, with its history). The model checks its
own rules (`full_clean`: its fields, `clean()`, and its constraints, each reported on its
field); the links are set once the record is saved."""

import datetime
from collections.abc import Iterable, Sequence

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils.text import slugify

from core.db.writes import set_fields
from core.history import links_in_one_entry
from members.models import Organisation, Person, Topic
from members.services import create_person

from .models import Appearance, Conference, Session

PERSON_SLUG_LENGTH = Person._meta.get_field("slug").max_length

# What the services may set on a conference besides its topics and the organisations taking
# part. Cover images: in the admin; hosts, the programme and outcomes: in the admin's inlines.
CONFERENCE_FIELDS = frozenset(
    {
        "kind",
        "edition",
        "title",
        "slug",
        "theme",
        "description",
        "start_date",
        "end_date",
        "date_precision",
        "city",
        "country",
        "venue",
        "time_zone",
        "status",
        "is_published",
        "registration_url",
        "division",
        "participant_count",
        "participant_count_is_minimum",
        "website",
        "report",
    }
)


@transaction.atomic
def create_conference(
    *,
    kind: str,
    title: str,
    slug: str,
    start_date: datetime.date,
    end_date: datetime.date,
    country: str,
    topics: Iterable[Topic] | None = None,
    participating_organisations: Iterable[Organisation] | None = None,
    **fields: object,
) -> Conference:
    """Record a new conference; `fields` are any others of CONFERENCE_FIELDS."""
    conference = Conference(
        kind=kind,
        title=title,
        slug=slug,
        start_date=start_date,
        end_date=end_date,
        country=country,
    )
    set_fields(conference, fields, allowed=CONFERENCE_FIELDS)
    conference.full_clean()
    conference.save()
    _set_links(conference, topics, participating_organisations)
    return conference


@transaction.atomic
def update_conference(
    *,
    conference: Conference,
    topics: Iterable[Topic] | None = None,
    participating_organisations: Iterable[Organisation] | None = None,
    **changes: object,
) -> Conference:
    """Change the given fields, and the topics or organisations taking part when given."""
    set_fields(conference, changes, allowed=CONFERENCE_FIELDS)
    conference.full_clean()
    conference.save()
    _set_links(conference, topics, participating_organisations)
    return conference


def set_publication(
    *,
    records: Iterable[Conference | Session],
    published: bool,
    changed_by: AbstractBaseUser | None = None,
) -> list[Conference | Session]:
    """Publish conferences or sessions, or take them back to drafts; those that change.

    Each is saved on its own, so that its history says who did it and the change clock moves
    (cached pages and partners' conditional requests then see it at once).
    """
    changed = []
    for record in records:
        if record.is_published == published:
            continue
        record.is_published = published
        if changed_by is not None:
            record._history_user = changed_by
        record.save(update_fields=["is_published", "modified"])
        changed.append(record)
    return changed


def _set_links(
    conference: Conference,
    topics: Iterable[Topic] | None,
    participating_organisations: Iterable[Organisation] | None,
) -> None:
    """Those given replace the conference's; those left out (None) stay as they are, in the
    history entry of the save just made."""
    with links_in_one_entry(conference):
        if topics is not None:
            conference.topics.set(topics)
        if participating_organisations is not None:
            conference.participating_organisations.set(participating_organisations)


# The programme: sessions and who appears in them. The programme editor in the admin calls
# these, each change recorded in the history and moving the change clock.

SESSION_FIELDS = frozenset(
    {
        "kind",
        "title",
        "description",
        "day",
        "start_time",
        "end_time",
        "location",
        "order",
        "is_published",
    }
)
APPEARANCE_FIELDS = frozenset({"role", "capacity", "order"})


@transaction.atomic
def create_session(
    *,
    conference: Conference,
    kind: str,
    title: str,
    day: datetime.date,
    topics: Iterable[Topic] | None = None,
    organisations_visited: Iterable[Organisation] | None = None,
    **fields: object,
) -> Session:
    """Add a session to the programme; `fields` are any others of SESSION_FIELDS."""
    session = Session(conference=conference, kind=kind, title=title, day=day)
    set_fields(session, fields, allowed=SESSION_FIELDS)
    session.full_clean()
    session.save()
    _set_session_links(session, topics, organisations_visited)
    return session


@transaction.atomic
def update_session(
    *,
    session: Session,
    topics: Iterable[Topic] | None = None,
    organisations_visited: Iterable[Organisation] | None = None,
    **changes: object,
) -> Session:
    """Change the given fields, and the topics or organisations visited when given."""
    set_fields(session, changes, allowed=SESSION_FIELDS)
    session.full_clean()
    session.save()
    _set_session_links(session, topics, organisations_visited)
    return session


@transaction.atomic
def delete_session(*, session: Session) -> None:
    """Remove a session and its speakers' appearances (the people stay)."""
    for appearance in session.appearances.all():
        appearance.delete()
    session.delete()


@transaction.atomic
def copy_session(*, session: Session, day: datetime.date | None = None) -> Session:
    """A copy of the session, on `day` (its own when None), with its speakers and topics.

    The copy comes after the sessions of its day that start at the same time."""
    day = day or session.day
    last = (
        Session.objects.filter(
            conference_id=session.conference_id, day=day, start_time=session.start_time
        )
        .order_by("-order")
        .values_list("order", flat=True)
        .first()
    )
    copy = create_session(
        conference=session.conference,
        kind=session.kind,
        title=session.title,
        day=day,
        topics=list(session.topics.all()),
        organisations_visited=list(session.organisations_visited.all()),
        description=session.description,
        start_time=session.start_time,
        end_time=session.end_time,
        location=session.location,
        order=0 if last is None else last + 1,
        is_published=session.is_published,
    )
    for appearance in session.appearances.all():
        create_appearance(
            session=copy,
            person=appearance.person,
            role=appearance.role,
            capacity=appearance.capacity,
            order=appearance.order,
        )
    return copy


@transaction.atomic
def reorder_sessions(*, sessions: Sequence[Session]) -> list[Session]:
    """Put sessions of one day in the given order: they keep the day's time slots, taken in
    turn, so that a session moved up takes the time of the one it passes."""
    if len({(session.conference_id, session.day) for session in sessions}) > 1:
        raise ValueError("reorder_sessions: the sessions must be of one conference and day")
    slots = sorted(
        ((session.start_time, session.end_time) for session in sessions),
        key=lambda slot: (slot[0] is not None, slot[0] or datetime.time.min),
    )
    for position, (session, (start_time, end_time)) in enumerate(zip(sessions, slots, strict=True)):
        if (session.start_time, session.end_time, session.order) != (
            start_time,
            end_time,
            position,
        ):
            update_session(
                session=session, start_time=start_time, end_time=end_time, order=position
            )
    return list(sessions)


def _set_session_links(
    session: Session,
    topics: Iterable[Topic] | None,
    organisations_visited: Iterable[Organisation] | None,
) -> None:
    """Those given replace the session's; those left out (None) stay as they are, in the
    history entry of the save just made."""
    with links_in_one_entry(session):
        if topics is not None:
            session.topics.set(topics)
        if organisations_visited is not None:
            session.organisations_visited.set(organisations_visited)


@transaction.atomic
def create_appearance(*, session: Session, person: Person, **fields: object) -> Appearance:
    """Add a person to a session; `fields` are any of APPEARANCE_FIELDS."""
    appearance = Appearance(session=session, person=person)
    set_fields(appearance, fields, allowed=APPEARANCE_FIELDS)
    appearance.full_clean()
    appearance.save()
    return appearance


@transaction.atomic
def update_appearance(
    *, appearance: Appearance, person: Person | None = None, **changes: object
) -> Appearance:
    """Change the given fields, and the person when given."""
    if person is not None:
        appearance.person = person
    set_fields(appearance, changes, allowed=APPEARANCE_FIELDS)
    appearance.full_clean()
    appearance.save()
    return appearance


@transaction.atomic
def delete_appearance(*, appearance: Appearance) -> None:
    appearance.delete()


@transaction.atomic
def create_speaker(*, name: str, affiliation: Organisation | None = None) -> Person:
    """A new person for the programme, under a free slug made from the name."""
    base = slugify(name)[: PERSON_SLUG_LENGTH - 6].strip("-") or "person"
    taken = set(Person.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug = base
    number = 2
    while slug in taken:
        slug = f"{base}-{number}"
        number += 1
    return create_person(name=name, slug=slug, affiliation=affiliation)
