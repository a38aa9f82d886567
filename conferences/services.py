"""Writes to conferences: the API calls these, and the admin's actions (its forms save the
model directly, with its history). The model checks its own rules (`full_clean`: its fields,
`clean()`, and its constraints, each reported on its field); the links are set once the
record is saved."""

import datetime
from collections.abc import Iterable

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction

from core.db.writes import set_fields
from members.models import Organisation, Topic

from .models import Conference, Session

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
    """Those given replace the conference's; those left out (None) stay as they are."""
    if topics is not None:
        conference.topics.set(topics)
    if participating_organisations is not None:
        conference.participating_organisations.set(participating_organisations)
