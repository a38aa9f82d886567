"""Write the demo dataset into the database, touching only what differs.

Every record is looked up by a natural key (a slug, or its parent plus a title) and saved only
when a value changed, so a second run writes nothing: no new rows, no new `modified` stamps,
no new image files.
"""

import datetime
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

from django.core.files.storage import default_storage
from django.db import models, transaction
from django.utils.text import slugify

from agreements.models import Agreement
from agreements.services import record_agreement
from conferences.models import (
    Appearance,
    Award,
    Conference,
    ConferenceHost,
    Decision,
    Quote,
    Session,
)
from members.models import Division, Membership, Office, Organisation, Person, Topic
from members.placeholders import ensure_placeholder_logo, ensure_placeholder_photo
from portal.models import Page
from portal.services import create_page, update_page

from .directory import DIVISIONS, MEMBERSHIP_START, ORGANISATIONS, PEOPLE, TOPICS
from .events import AGREEMENTS, CONFERENCES
from .pages import PAGES

DEMO_CONSENT_ON = datetime.date(2025, 9, 1)
DEMO_CONSENT_NOTE = "Public programme of the conference"

ModelT = TypeVar("ModelT", bound=models.Model)


@dataclass
class Summary:
    total: Counter = field(default_factory=Counter)
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    new_files: list[str] = field(default_factory=list)

    def count(self, model: type[models.Model], outcome: str) -> None:
        label = str(model._meta.verbose_name_plural)
        self.total[label] += 1
        if outcome == "created":
            self.created[label] += 1
        elif outcome == "updated":
            self.updated[label] += 1

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.new_files)

    def lines(self) -> list[str]:
        width = max(len("placeholder images"), *map(len, self.total))
        lines = [
            f"{label.ljust(width)}  {total:3}  "
            f"({self.created[label]} created, {self.updated[label]} updated)"
            for label, total in self.total.items()
        ]
        lines.append(f"{'placeholder images'.ljust(width)}  {len(self.new_files):3}  generated")
        return lines


def _differs(instance: models.Model, name: str, value: Any) -> bool:
    model_field = instance._meta.get_field(name)
    if model_field.many_to_one:
        return getattr(instance, model_field.attname) != (value.pk if value is not None else None)
    return getattr(instance, name) != value


def _coordinates(entry: dict) -> dict[str, Decimal | None]:
    """Latitude and longitude as the model stores them (Decimal), or None without a place."""
    latitude, longitude = entry.get("coordinates", (None, None))
    return {
        "latitude": Decimal(latitude) if latitude is not None else None,
        "longitude": Decimal(longitude) if longitude is not None else None,
    }


def _validate(instance: models.Model) -> None:
    """Field validation and the model's `clean()`, without the database round trips.

    Uniqueness and check constraints are real database constraints: a breach stops the load
    and rolls it back. Stored images were validated on upload and are not re-read.
    """
    stored_files = [
        model_field.name
        for model_field in instance._meta.concrete_fields
        if isinstance(model_field, models.FileField)
    ]
    instance.full_clean(exclude=stored_files, validate_unique=False, validate_constraints=False)


class _Loader:
    def __init__(self) -> None:
        self.summary = Summary()
        self.divisions: dict[str, Division] = {}
        self.topics: dict[str, Topic] = {}
        self.organisations: dict[str, Organisation] = {}
        self.people: dict[str, Person] = {}
        self.conferences: dict[str, Conference] = {}

    def upsert(
        self,
        model: type[ModelT],
        lookup: dict[str, Any],
        values: dict[str, Any],
        queryset: models.QuerySet | None = None,
    ) -> ModelT:
        """Find the record by `lookup` (or `queryset`); create it, or update what differs."""
        instance = (queryset if queryset is not None else model.objects.filter(**lookup)).first()
        if instance is None:
            instance = model(**lookup, **values)
            _validate(instance)
            instance.save()
            self.summary.count(model, "created")
            return instance
        changed = [name for name, value in values.items() if _differs(instance, name, value)]
        if changed:
            for name in changed:
                setattr(instance, name, values[name])
            _validate(instance)
            instance.save(update_fields=changed)
        self.summary.count(model, "updated" if changed else "unchanged")
        return instance

    def topic_list(self, names: Iterable[str]) -> list[Topic]:
        return [self.topics[name] for name in names]

    def run(self) -> None:
        self.load_divisions()
        self.load_topics()
        self.load_organisations()
        self.load_people()
        self.load_conferences()
        self.load_agreements()
        self.load_pages()

    def load_divisions(self) -> None:
        for entry in DIVISIONS:
            self.divisions[entry["name"]] = self.upsert(
                Division,
                {"slug": slugify(entry["name"])},
                {"name": entry["name"], "description": entry["description"]},
            )

    def load_topics(self) -> None:
        for name, description in TOPICS:
            self.topics[name] = self.upsert(
                Topic, {"slug": slugify(name)}, {"name": name, "description": description}
            )

    def load_organisations(self) -> None:
        for entry in ORGANISATIONS:
            organisation = self.upsert(
                Organisation,
                {"slug": slugify(entry["name"])},
                {
                    "name": entry["name"],
                    "short_name": entry.get("short_name", ""),
                    "kind": entry["kind"],
                    "country": entry["country"],
                    "city": entry.get("city", ""),
                    **_coordinates(entry),
                    "division": self.divisions[entry["division"]],
                    "description": entry["description"],
                },
            )
            organisation.topics.set(self.topic_list(entry.get("topics", [])))
            if entry.get("membership"):
                self.upsert(
                    Membership,
                    {"organisation": organisation},
                    {
                        "category": entry["membership"],
                        "status": Membership.Status.ACTIVE,
                        "started_on": MEMBERSHIP_START,
                    },
                    queryset=organisation.memberships.filter(status__in=Membership.OPEN_STATUSES),
                )
            if ensure_placeholder_logo(organisation):
                self.summary.new_files.append(organisation.logo.name)
            self.organisations[entry["name"]] = organisation

    def load_people(self) -> None:
        for entry in PEOPLE:
            affiliation = entry.get("affiliation")
            person = self.upsert(
                Person,
                {"slug": slugify(entry["name"])},
                {
                    "name": entry["name"],
                    "job_title": entry["job_title"],
                    "affiliation": self.organisations[affiliation] if affiliation else None,
                    "country": entry.get("country", ""),
                    "bio": entry["bio"],
                    # The demo's people appear in public programmes and agreed to be shown.
                    "display_consent": True,
                    "consent_recorded_on": DEMO_CONSENT_ON,
                    "consent_note": DEMO_CONSENT_NOTE,
                },
            )
            for office in entry["offices"]:
                division, organisation = office.get("division"), office.get("organisation")
                # Dates of office are not known: left empty, and not overwritten if added later.
                self.upsert(
                    Office,
                    {
                        "person": person,
                        "title": office["title"],
                        "body": office["body"],
                        "division": self.divisions[division] if division else None,
                        "organisation": self.organisations[organisation] if organisation else None,
                    },
                    {},
                )
            if ensure_placeholder_photo(person):
                self.summary.new_files.append(person.photo.name)
            self.people[entry["name"]] = person

    def load_conferences(self) -> None:
        # Every conference exists before any outcome points at one (the 2027 host decision).
        for entry in CONFERENCES:
            division = entry.get("division")
            self.conferences[entry["slug_from"]] = self.upsert(
                Conference,
                {"slug": slugify(entry["slug_from"])},
                {
                    "kind": entry["kind"],
                    "edition": entry.get("edition"),
                    "title": entry["title"],
                    "theme": entry.get("theme", ""),
                    "description": entry["description"],
                    "start_date": entry["start_date"],
                    "end_date": entry["end_date"],
                    "date_precision": entry.get("date_precision", Conference.DatePrecision.DAY),
                    "city": entry.get("city", ""),
                    "country": entry["country"],
                    "time_zone": entry["time_zone"],
                    "division": self.divisions[division] if division else None,
                    "participant_count": entry.get("participant_count"),
                    "participant_count_is_minimum": entry.get(
                        "participant_count_is_minimum", False
                    ),
                    "status": entry["status"],
                    "is_published": entry.get("is_published", True),
                    "report": entry.get("report", ""),
                },
            )
        for entry in CONFERENCES:
            conference = self.conferences[entry["slug_from"]]
            conference.topics.set(self.topic_list(entry.get("topics", [])))
            conference.participating_organisations.set(
                [self.organisations[name] for name in entry.get("participants", [])]
            )
            for order, (name, role) in enumerate(entry.get("hosts", [])):
                self.upsert(
                    ConferenceHost,
                    {"conference": conference, "organisation": self.organisations[name]},
                    {"role": role, "order": order},
                )
            self.load_sessions(conference, entry.get("sessions", []))
            self.load_outcomes(conference, entry)

    def load_sessions(self, conference: Conference, sessions: list[dict]) -> None:
        order_in_day: Counter = Counter()
        for entry in sessions:
            session = self.upsert(
                Session,
                {"conference": conference, "title": entry["title"]},
                {
                    "kind": entry["kind"],
                    "description": entry["description"],
                    "day": entry["day"],
                    "start_time": None,
                    "end_time": None,
                    "order": order_in_day[entry["day"]],
                },
            )
            order_in_day[entry["day"]] += 1
            session.topics.set(self.topic_list(entry.get("topics", [])))
            session.organisations_visited.set(
                [self.organisations[name] for name in entry.get("visits", [])]
            )
            for order, appearance in enumerate(entry.get("appearances", [])):
                self.upsert(
                    Appearance,
                    {
                        "session": session,
                        "person": self.people[appearance["person"]],
                        "role": appearance["role"],
                    },
                    {"capacity": appearance["capacity"], "order": order},
                )

    def load_outcomes(self, conference: Conference, entry: dict) -> None:
        for quote in entry.get("quotes", []):
            self.upsert(
                Quote,
                {"conference": conference, "person": self.people[quote["person"]]},
                {"text": quote["text"], "session": None},
            )
        for decision in entry.get("decisions", []):
            self.upsert(
                Decision,
                {"conference": conference, "title": decision["title"]},
                {
                    "kind": decision["kind"],
                    "text": decision["text"],
                    "host_city": decision["host_city"],
                    "host_country": decision["host_country"],
                    "host_organisation": self.organisations[decision["host_organisation"]],
                    "host_year": decision["host_year"],
                    "resulting_conference": self.conferences[decision["resulting_conference"]],
                },
            )
        for award in entry.get("awards", []):
            # Recipients are not named in the sources; one added later by staff is kept.
            self.upsert(Award, {"conference": conference, "name": award["name"]}, {})

    def load_agreements(self) -> None:
        for entry in AGREEMENTS:
            slug = slugify(entry["title"])
            before = Agreement.objects.filter(slug=slug).values_list("modified", flat=True).first()
            agreement = record_agreement(
                title=entry["title"],
                slug=slug,
                kind=entry["kind"],
                parties=[self.organisations[name] for name in entry["parties"]],
                # Signed together at the conference: each party on the same day.
                party_dates={
                    self.organisations[name].pk: entry["signed_on"] for name in entry["parties"]
                },
                signed_on=entry["signed_on"],
                signed_at_conference=self.conferences[entry["signed_at_conference"]],
                signed_city=entry["signed_city"],
                signed_country=entry["signed_country"],
                summary=entry["summary"],
                topics=self.topic_list(entry["topics"]),
            )
            if before is None:
                outcome = "created"
            else:
                outcome = "updated" if agreement.modified != before else "unchanged"
            self.summary.count(Agreement, outcome)

    def load_pages(self) -> None:
        for entry in PAGES:
            values = {name: value for name, value in entry.items() if name != "slug"}
            page = Page.objects.filter(slug=entry["slug"]).first()
            if page is None:
                create_page(slug=entry["slug"], is_published=True, **values)
                self.summary.count(Page, "created")
                continue
            changed = {
                name: value for name, value in values.items() if getattr(page, name) != value
            }
            if changed:
                update_page(page=page, **changed)
            self.summary.count(Page, "updated" if changed else "unchanged")

    def discard_new_files(self) -> None:
        for name in self.summary.new_files:
            default_storage.delete(name)


def load_demo() -> Summary:
    """Load or refresh the demo dataset in one transaction; return what was written."""
    loader = _Loader()
    try:
        with transaction.atomic():
            loader.run()
    except BaseException:
        # The rows are rolled back; do not leave their image files behind either.
        loader.discard_new_files()
        raise
    return loader.summary
