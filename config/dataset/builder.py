"""The rows of the synthetic dataset, built in memory with their primary keys already set.

Everything is drawn from one `random.Random(seed)` in a fixed order and dated relative to
AS_OF, never to today, so that a seed and a scale always give the same rows. Primary keys are
counted from 1, so that rows can point at each other before any of them is saved, and the
large tables are handed out in chunks as they are built rather than all at the end.
"""

import datetime
import itertools
import math
import random
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.utils.text import slugify
from model_utils.models import TimeStampedModel

from agreements.models import Agreement, AgreementParty
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

from . import vocabulary as words

# The day the dataset describes: conferences before it were held, memberships and offices
# without an end date still run. Rows are stamped as created and modified on this day.
AS_OF = datetime.date(2026, 7, 1)
GENERATED_AT = datetime.datetime(2026, 7, 1, tzinfo=datetime.UTC)
FIRST_YEAR, LAST_YEAR = 1984, 2027
OTHER_EVENTS_FROM = AGREEMENTS_FROM = 1990
MIN_SCALE = 0.01

SESSIONS_PER_CONFERENCE = 20
# The world conference is held once a year; its edition is its year's distance from 1983,
# as in the demo data (the 42nd in 2025).
WORLD_EDITION_OFFSET = FIRST_YEAR - 1
CHUNK = 5_000  # agreements, or sessions, handed out at a time

ORGANISATION_KINDS = [
    ("science_park", 45),
    ("innovation_district", 8),
    ("technology_centre", 10),
    ("university", 12),
    ("research_institute", 8),
    ("agency", 6),
    ("association", 3),
    ("company", 6),
    ("other", 2),
]
KIND_LABELS = {
    "science_park": "science park",
    "innovation_district": "innovation district",
    "technology_centre": "technology centre",
    "university": "university",
    "research_institute": "research institute",
    "agency": "government agency",
    "association": "association",
    "company": "company",
    "other": "innovation organisation",
}
PARK_KINDS = {"science_park", "innovation_district", "technology_centre"}
MEMBER_CHANCE = {
    "science_park": 0.85,
    "innovation_district": 0.8,
    "technology_centre": 0.7,
    "association": 0.5,
    "university": 0.4,
    "research_institute": 0.35,
    "agency": 0.35,
    "company": 0.15,
    "other": 0.2,
}
MEMBERSHIP_CATEGORIES = [
    ("full", 60),
    ("affiliated", 15),
    ("associate", 15),
    ("partner", 7),
    ("honorary", 3),
]
FAMILY_NAME_FIRST = {"zh", "ko"}
NOT_IN_ACRONYMS = {"of", "and", "for", "de", "del", "di", "e", "y", "the", "on"}

BLOCKS = [
    (datetime.time(9), datetime.time(10, 30)),
    (datetime.time(11), datetime.time(12, 30)),
    (datetime.time(14), datetime.time(15, 30)),
    (datetime.time(16), datetime.time(17, 30)),
]
MAX_PARALLEL = 4


@dataclass(frozen=True)
class Sizes:
    organisations: int
    people: int
    conferences: int
    agreements: int

    @classmethod
    def for_scale(cls, scale: float) -> "Sizes":
        if not MIN_SCALE <= scale <= 1000:
            raise ValueError(f"The scale must be between {MIN_SCALE} and 1000, not {scale:g}.")
        return cls(
            organisations=round(1_000 * scale),
            people=round(5_000 * scale),
            conferences=round(200 * scale),
            agreements=round(10_000 * scale),
        )


class Table:
    """The rows of one model, numbered from 1 as they are added."""

    def __init__(self, model: type[models.Model]):
        self.model = model
        self.count = 0
        self.pending: list[models.Model] = []
        self.stamped = issubclass(model, TimeStampedModel)

    def add(self, **values) -> models.Model:
        self.count += 1
        if self.stamped:
            stamp = GENERATED_AT + datetime.timedelta(seconds=self.count)
            values["created"] = values["modified"] = stamp
        row = self.model(id=self.count, **values)
        self.pending.append(row)
        return row

    def take(self) -> list[models.Model]:
        rows, self.pending = self.pending, []
        return rows


class Slugs:
    """Slugs unique by construction: `base`, then `base-2`, `base-3`…"""

    def __init__(self, max_length: int):
        self.max_length = max_length
        self.taken: set[str] = set()
        self.next_number: dict[str, int] = {}

    def take(self, text: str) -> str:
        base = slugify(text)[: self.max_length - 8].strip("-") or "item"
        slug = base
        while slug in self.taken:
            number = self.next_number.get(base, 2)
            self.next_number[base] = number + 1
            slug = f"{base}-{number}"
        self.taken.add(slug)
        return slug


@dataclass
class Org:
    """What later tables need to know about an organisation, by its index (id - 1)."""

    id: int
    name: str
    short_name: str
    kind: str
    country: words.Country
    city: words.City
    division_id: int | None
    stem: str


@dataclass
class Held:
    """A conference, as later tables (outcomes, agreements) see it."""

    id: int
    kind: str
    division_id: int | None
    year: int
    start: datetime.date
    end: datetime.date
    country: words.Country
    city: words.City
    host_ids: list[int]
    edition: int | None
    speakers: list[tuple[int, int]]  # (person id, session id) of keynotes and openings


def ordinal(number: int) -> str:
    suffix = (
        "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    )
    return f"{number}{suffix}"


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def acronym(name: str) -> str:
    letters = [w[0] for w in name.replace("-", " ").split() if w.lower() not in NOT_IN_ACRONYMS]
    return "".join(letters).upper()


def ror_id(index: int) -> str:
    """A well-formed ROR ID (Crockford base 32 and its ISO 7064 check digits), one per index."""
    alphabet = "0123456789abcdefghjkmnpqrstvwxyz"
    number = (index * 7919 + 123_457) % 32**6  # an odd multiplier: distinct for distinct indexes
    digits = "".join(alphabet[(number >> (5 * shift)) & 31] for shift in range(5, -1, -1))
    check = 98 - (number * 100) % 97
    return f"0{digits}{check:02d}"


class DatasetBuilder:
    def __init__(self, *, scale: float, seed: int):
        self.sizes = Sizes.for_scale(scale)
        self.rng = random.Random(seed)
        self.tables: dict[type[models.Model], Table] = {}
        self.slugs = defaultdict(lambda: Slugs(120))

    def table(self, model: type[models.Model]) -> Table:
        if model not in self.tables:
            self.tables[model] = Table(model)
        return self.tables[model]

    def flush(self, *models_: type[models.Model]) -> Iterator[tuple[type[models.Model], list]]:
        for model in models_:
            rows = self.table(model).take()
            if rows:
                yield model, rows

    def batches(self) -> Iterator[tuple[type[models.Model], list[models.Model]]]:
        """(model, rows) to insert, in an order where every row's targets come first."""
        self._topics()
        self._divisions()
        yield from self.flush(Topic, Division)
        self._organisations()
        self._memberships()
        yield from self.flush(Organisation, Organisation.topics.through, Membership)
        self._people()
        self._offices()  # sets the job titles of office holders, so before people are handed out
        yield from self.flush(Person, Office)
        yield from self._conferences()
        self._outcomes()
        yield from self.flush(Decision, Award, Quote)
        yield from self._agreements()

    def _pick(self, choices: list[tuple], k: int = 1) -> list:
        values, weights = zip(*choices, strict=True)
        return self.rng.choices(values, weights, k=k)

    def _sample(self, population, low: int, high: int) -> list:
        return self.rng.sample(population, min(len(population), self.rng.randint(low, high)))

    # Directory ---------------------------------------------------------------------------

    def _topics(self) -> None:
        topics = self.table(Topic)
        for name in words.TOPICS:
            topics.add(
                name=name,
                slug=slugify(name),
                description=f"{name}: projects, policies and people across the network.",
            )
        self.topic_ids = list(range(1, topics.count + 1))
        self.topic_names = {index + 1: name for index, name in enumerate(words.TOPICS)}

    def _divisions(self) -> None:
        divisions = self.table(Division)
        self.division_ids = {}
        self.division_first_year = {}
        for name, description, first_year in words.DIVISIONS:
            slug = slugify(name)
            row = divisions.add(
                name=name,
                slug=slug,
                description=description,
                website=f"https://www.example.org/divisions/{slug}/",
            )
            self.division_ids[name] = row.id
            self.division_first_year[row.id] = first_year
        self.division_names = {id_: name for name, id_ in self.division_ids.items()}
        self.countries_by_division = defaultdict(list)
        for country in words.COUNTRIES:
            self.countries_by_division[self.division_ids[country.division]].append(country)

    def _organisations(self) -> None:
        rng, table = self.rng, self.table(Organisation)
        links = self.table(Organisation.topics.through)
        slugs, names = Slugs(200), set()
        count = self.sizes.organisations
        countries = rng.choices(words.COUNTRIES, [c.weight for c in words.COUNTRIES], k=count)
        kinds = self._pick(ORGANISATION_KINDS, k=count)
        self.orgs: list[Org] = []
        self.orgs_by_country = defaultdict(list)
        self.orgs_by_city = defaultdict(list)
        self.orgs_by_division = defaultdict(list)
        self.parks: list[int] = []
        for index, (country, kind) in enumerate(zip(countries, kinds, strict=True)):
            city = rng.choice(country.cities)
            name = self._organisation_name(kind, country, city, names)
            slug = slugs.take(name)
            stem = slug[:40].strip("-")
            division_id = self.division_ids[country.division]
            if kind in {"company", "other"} and rng.random() < 0.5:
                division_id = None
            topic_ids = self._sample(self.topic_ids, 1, 4)
            short_name = acronym(name) if rng.random() < 0.4 else ""
            if not 2 <= len(short_name) <= 8:
                short_name = ""
            latitude = longitude = None
            if rng.random() < 0.9:
                latitude = Decimal(f"{city.latitude + rng.uniform(-0.12, 0.12):.6f}")
                longitude = Decimal(f"{city.longitude + rng.uniform(-0.12, 0.12):.6f}")
            row = table.add(
                name=name,
                short_name=short_name,
                slug=slug,
                kind=kind,
                country=country.code,
                city=city.name,
                latitude=latitude,
                longitude=longitude,
                website=f"https://www.{stem}.example.org/" if rng.random() < 0.85 else "",
                contact_email=f"info@{stem}.example.org" if rng.random() < 0.6 else "",
                description=(
                    f"{name} is a {KIND_LABELS[kind]} in {city.name}, {country.name}, working on "
                    f"{self.topic_names[topic_ids[0]].lower()} and related fields."
                ),
                division_id=division_id,
                ror_id=ror_id(index)
                if kind in {"university", "research_institute"} and rng.random() < 0.7
                else "",
                wikidata_id=f"Q{5_000_000 + index}" if rng.random() < 0.3 else "",
            )
            for topic_id in topic_ids:
                links.add(organisation_id=row.id, topic_id=topic_id)
            org = Org(row.id, name, short_name, kind, country, city, division_id, stem)
            self.orgs.append(org)
            self.orgs_by_country[country.code].append(index)
            self.orgs_by_city[city.name, country.code].append(index)
            if division_id:
                self.orgs_by_division[division_id].append(index)
            if kind in PARK_KINDS:
                self.parks.append(index)
        if not self.parks:
            self.parks = list(range(count))

    def _organisation_name(self, kind, country, city, taken: set) -> str:
        """A name no other organisation of the country has, ignoring case."""
        rng = self.rng
        local = words.LOCAL_PATTERNS.get((country.language, kind))
        attempt = 0
        while True:
            patterns = local if local and rng.random() < 0.5 else words.ORGANISATION_PATTERNS[kind]
            name = rng.choice(patterns).format(
                city=city.name,
                word=rng.choice(words.WORDS),
                field=rng.choice(words.FIELDS),
                country=country.name,
            )
            if attempt >= 12:
                name = f"{name} {attempt - 10}"
            elif attempt >= 6:
                name = f"{name} ({rng.choice(words.NAME_QUALIFIERS)})"
            key = (name.lower(), country.code)
            if key not in taken:
                taken.add(key)
                return name
            attempt += 1

    def _memberships(self) -> None:
        """Member organisations have one to three periods: earlier ones ended (lapsed or
        former), the last one usually still running."""
        rng, table = self.rng, self.table(Membership)
        for org in self.orgs:
            if rng.random() >= MEMBER_CHANCE[org.kind]:
                if rng.random() < 0.05:  # an application not yet decided
                    table.add(
                        organisation_id=org.id,
                        category=self._pick(MEMBERSHIP_CATEGORIES)[0],
                        status="pending",
                        started_on=AS_OF - datetime.timedelta(days=rng.randint(0, 120)),
                    )
                continue
            periods = self._pick([(1, 55), (2, 30), (3, 15)])[0]
            year = rng.randint(FIRST_YEAR, AS_OF.year - 1)
            starts = []
            for _ in range(periods):
                start = datetime.date(year, rng.randint(1, 12), 1)
                if start > AS_OF:
                    break
                starts.append(start)
                year += rng.randint(3, 10)
            category = self._pick(MEMBERSHIP_CATEGORIES)[0]
            for number, start in enumerate(starts):
                notes = "Rejoined after a break in membership." if number else ""
                if rng.random() < 0.2:
                    category = self._pick(MEMBERSHIP_CATEGORIES)[0]
                if number + 1 < len(starts):
                    room = (starts[number + 1] - start).days
                    ended = starts[number + 1] - datetime.timedelta(
                        days=rng.randint(60, max(61, room - 30))
                    )
                    status = "lapsed" if rng.random() < 0.6 else "former"
                else:
                    status = self._pick([("active", 75), ("former", 15), ("lapsed", 10)])[0]
                    ended = None
                    if status in {"former", "lapsed"}:
                        ended = min(
                            start + datetime.timedelta(days=rng.randint(365, 3650)),
                            AS_OF - datetime.timedelta(days=1),
                        )
                        ended = max(ended, start)
                table.add(
                    organisation_id=org.id,
                    category=category,
                    status=status,
                    started_on=start,
                    ended_on=ended,
                    notes=notes,
                )

    def _people(self) -> None:
        rng, table, slugs = self.rng, self.table(Person), Slugs(200)
        people_names = {
            language: (firsts.split(), lasts.split())
            for language, (firsts, lasts) in words.PEOPLE.items()
        }
        country_weights = [c.weight for c in words.COUNTRIES]
        honorifics = self._pick(words.HONORIFICS, k=self.sizes.people)
        self.people: list[Person] = []
        self.people_by_org = defaultdict(list)
        self.people_by_division = defaultdict(list)
        for index in range(self.sizes.people):
            org = rng.choice(self.orgs) if rng.random() < 0.9 else None
            country = org.country if org else rng.choices(words.COUNTRIES, country_weights)[0]
            firsts, lasts = people_names[country.language]
            first = rng.choice(firsts).replace("_", " ")
            last = rng.choice(lasts).replace("_", " ")
            name = f"{last} {first}" if country.language in FAMILY_NAME_FIRST else f"{first} {last}"
            slug = slugs.take(name)
            job_title = rng.choice(words.JOB_TITLES) if rng.random() < 0.9 else ""
            place = f" at {org.name}" if org else ""
            email = ""
            if org and rng.random() < 0.7:
                email = f"{slugify(first)}.{slugify(last)}@{org.stem}.example.org"
            person = table.add(
                honorific=honorifics[index],
                name=name,
                slug=slug,
                job_title=job_title,
                affiliation_id=org.id if org else None,
                country=country.code if rng.random() < 0.95 else "",
                bio=(
                    f"{name} works{place} in {country.name}, on "
                    f"{self.topic_names[rng.choice(self.topic_ids)].lower()}."
                    if rng.random() < 0.4
                    else ""
                ),
                email=email,
                website=f"https://people.example.org/{slug}/" if rng.random() < 0.1 else "",
            )
            self.people.append(person)
            if org:
                self.people_by_org[org.id].append(index)
                if org.division_id:
                    self.people_by_division[org.division_id].append(index)

    def _offices(self) -> None:
        """The association's board and the divisions' chairs by term, and each organisation's
        head (sometimes with a predecessor)."""
        rng, table = self.rng, self.table(Office)
        everyone = range(len(self.people))
        for year in range(FIRST_YEAR, AS_OF.year + 1, 3):
            start, end = datetime.date(year, 10, 1), datetime.date(year + 3, 9, 30)
            if start > AS_OF:
                break
            holders = rng.sample(everyone, min(len(everyone), len(words.ASSOCIATION_BOARD)))
            for title, person in zip(words.ASSOCIATION_BOARD, holders, strict=False):
                table.add(
                    person_id=person + 1,
                    title=title,
                    body="association",
                    started_on=start,
                    ended_on=end if end < AS_OF else None,
                )
        for division_id, first_year in self.division_first_year.items():
            members = self.people_by_division[division_id] or everyone
            for year in range(first_year, AS_OF.year + 1, 2):
                start, end = datetime.date(year, 1, 1), datetime.date(year + 1, 12, 31)
                holders = rng.sample(members, min(len(members), len(words.DIVISION_BOARD)))
                for title, person in zip(words.DIVISION_BOARD, holders, strict=False):
                    table.add(
                        person_id=person + 1,
                        title=title,
                        body="division",
                        division_id=division_id,
                        started_on=start,
                        ended_on=end if end < AS_OF else None,
                    )
        for org in self.orgs:
            staff = self.people_by_org[org.id]
            if not staff:
                continue
            head = rng.choice(staff)
            title = rng.choice(words.OFFICE_TITLES)
            start = datetime.date(rng.randint(2005, AS_OF.year - 1), rng.randint(1, 12), 1)
            if len(staff) > 1 and rng.random() < 0.35:
                before = rng.choice([p for p in staff if p != head])
                table.add(
                    person_id=before + 1,
                    title=title,
                    body="organisation",
                    organisation_id=org.id,
                    started_on=datetime.date(start.year - rng.randint(3, 12), 1, 1),
                    ended_on=start - datetime.timedelta(days=1),
                )
            table.add(
                person_id=head + 1,
                title=title,
                body="organisation",
                organisation_id=org.id,
                started_on=start,
            )
            self.people[head].job_title = title

    # Conferences -------------------------------------------------------------------------

    def _conference_plan(self) -> list[tuple[str, int | None, datetime.date, int | None]]:
        """(kind, division id, start date, edition) of every conference, editions in date order.

        One world conference a year at most, so at scale most conferences are division
        conferences (editions numbered per division) and other events (no edition).
        """
        rng, count = self.rng, self.sizes.conferences
        world = min(LAST_YEAR - FIRST_YEAR + 1, max(1, round(count * 0.22)))
        plan = [
            ("world", None, self._conference_start(year), year - WORLD_EDITION_OFFSET)
            for year in range(LAST_YEAR - world + 1, LAST_YEAR + 1)
        ]
        divisional = round((count - world) * 0.6)
        division_ids = list(self.division_first_year)
        spans = [LAST_YEAR - self.division_first_year[d] + 1 for d in division_ids]
        starts_by_division = defaultdict(list)
        for division_id in rng.choices(division_ids, spans, k=divisional):
            year = rng.randint(self.division_first_year[division_id], LAST_YEAR)
            starts_by_division[division_id].append(self._conference_start(year))
        for division_id in division_ids:
            for edition, start in enumerate(sorted(starts_by_division[division_id]), start=1):
                plan.append(("division", division_id, start, edition))
        for _ in range(count - world - divisional):
            division_id = rng.choice(division_ids) if rng.random() < 0.5 else None
            start = self._conference_start(rng.randint(OTHER_EVENTS_FROM, LAST_YEAR))
            plan.append(("other", division_id, start, None))
        return plan

    def _conference_start(self, year: int) -> datetime.date:
        rng = self.rng
        return datetime.date(year, rng.randint(3, 11), rng.randint(1, 28))

    def _conferences(self) -> Iterator[tuple[type[models.Model], list]]:
        rng, table, slugs = self.rng, self.table(Conference), Slugs(250)
        self.held: list[Held] = []
        self.series: dict[tuple, list[Held]] = defaultdict(list)
        for kind, division_id, start, edition in self._conference_plan():
            if division_id:
                country = rng.choices(
                    countries := self.countries_by_division[division_id],
                    [c.weight for c in countries],
                )[0]
            else:
                country = rng.choices(words.COUNTRIES, [c.weight for c in words.COUNTRIES])[0]
            city = rng.choice(country.cities)
            series_key = (kind, division_id)
            days = {"world": rng.randint(4, 5), "division": rng.randint(3, 4)}.get(
                kind, rng.randint(2, 3)
            )
            end = start + datetime.timedelta(days=days - 1)
            topic_ids = self._sample(self.topic_ids, 2, 4)
            topic = self.topic_names[topic_ids[0]]
            if kind == "world":
                title = f"World Conference {start.year} {city.name}"
            elif kind == "division":
                title = f"{self.division_names[division_id]} Division Conference {start.year} "
                title += city.name
            else:
                title = rng.choice(words.OTHER_EVENTS).format(
                    city=city.name, topic=topic, year=start.year
                )
            host_ids = self._hosts(country, city)
            status = "held" if end < AS_OF else "planned"
            if status == "held" and kind == "other" and rng.random() < 0.03:
                status = "cancelled"
            elif status == "planned" and (start - AS_OF).days < 300:
                status = "registration_open"
            count = None
            if status == "held":
                low, high = {"world": (400, 1500), "division": (120, 500)}.get(kind, (30, 250))
                count = rng.randint(low, high)
            slug = slugs.take(title)
            host_name = self.orgs[host_ids[0] - 1].name
            row = table.add(
                kind=kind,
                edition=edition,
                title=title,
                slug=slug,
                theme=rng.choice(words.THEMES).format(topic=topic.lower())
                if kind != "other" and rng.random() < 0.9
                else "",
                description=(
                    f"{title}, hosted by {host_name} in {city.name}, {country.name}."
                    if rng.random() < 0.7
                    else ""
                ),
                start_date=start,
                end_date=end,
                city=city.name,
                country=country.code,
                venue=rng.choice(words.VENUES).format(city=city.name, host=host_name),
                time_zone=city.time_zone,
                division_id=division_id,
                participant_count=count,
                participant_count_is_minimum=count is not None and rng.random() < 0.15,
                status=status,
                website=f"https://events.example.org/{slug}/" if rng.random() < 0.6 else "",
                report=(
                    f"{count} participants from {rng.randint(12, 70)} countries met in "
                    f"{city.name} to discuss {topic.lower()}."
                    if status == "held" and kind != "other" and rng.random() < 0.3
                    else ""
                ),
            )
            for topic_id in topic_ids:
                self.table(Conference.topics.through).add(conference_id=row.id, topic_id=topic_id)
            for order, org_id in enumerate(host_ids):
                role = "host" if order == 0 else rng.choice(["co_host", "partner", "supporter"])
                self.table(ConferenceHost).add(
                    conference_id=row.id, organisation_id=org_id, role=role, order=order
                )
            if status == "held":
                for org_index in self._sample(range(len(self.orgs)), 0, 8):
                    if self.orgs[org_index].id not in host_ids:
                        self.table(Conference.participating_organisations.through).add(
                            conference_id=row.id, organisation_id=self.orgs[org_index].id
                        )
            held = Held(
                row.id, kind, division_id, start.year, start, end, country, city, host_ids,
                edition, [],
            )  # fmt: skip
            self._sessions(held, topic_ids)
            if status == "held":
                self.held.append(held)
            if kind != "other":
                self.series[series_key].append(held)
            if row.id % (CHUNK // SESSIONS_PER_CONFERENCE) == 0:
                yield from self._flush_conferences()
        yield from self._flush_conferences()

    def _flush_conferences(self):
        yield from self.flush(
            Conference,
            Conference.topics.through,
            Conference.participating_organisations.through,
            ConferenceHost,
            Session,
            Session.topics.through,
            Session.organisations_visited.through,
            Appearance,
        )

    def _hosts(self, country: words.Country, city: words.City) -> list[int]:
        """One to three organisations of the host country (its city first), any if none."""
        local = self.orgs_by_country[country.code]
        candidates = self.orgs_by_city[city.name, country.code] or local or range(len(self.orgs))
        hosts = self._sample(candidates, 1, 3)
        if len(hosts) < 2 and local and self.rng.random() < 0.5:
            hosts += [i for i in self._sample(local, 1, 1) if i not in hosts]
        return [self.orgs[i].id for i in hosts]

    def _programme(self, kind: str, days: int) -> list[tuple]:
        """(day, session kind, start, end, order) of the programme's 20 items.

        Series conferences open with a training day, hold their General Assembly before the
        last day and (when long enough) a day of technical visits; every free time block
        then takes one plenary or two to four parallel sessions.
        """
        rng, last = self.rng, days - 1
        items, used = [], set()
        time = datetime.time
        if kind != "other":
            items += [(0, "training", time(9), time(12, 30), order) for order in range(2)]
            items.append((0, "opening", time(14), time(15), 0))
            items.append((0, "social", time(19), time(21, 30), 0))
            used |= {(0, 0), (0, 1), (0, 2)}
            if days >= 4:
                items += [(1, "technical_visit", None, None, order) for order in range(2)]
                used |= {(1, block) for block in range(len(BLOCKS))}
            items.append((last - 1, "general_assembly", *BLOCKS[3], 0))
            items.append((last - 1, "social", time(19, 30), time(22, 30), 1))
            used.add((last - 1, 3))
        else:
            items.append((0, "opening", time(9), time(10), 0))
            used.add((0, 0))
        items.append((last, "closing", time(16), time(17), 0))
        used.add((last, 3))
        free = [(d, b) for d in range(days) for b in range(len(BLOCKS)) if (d, b) not in used]
        remaining = SESSIONS_PER_CONFERENCE - len(items)
        assert remaining <= MAX_PARALLEL * len(free)
        sizes = [rng.choice([1, 1, 2, 3, 3, 4]) for _ in free]
        while sum(sizes) > remaining:
            index = rng.randrange(len(sizes))
            sizes[index] -= sizes[index] > 0
        while sum(sizes) < remaining:
            index = rng.randrange(len(sizes))
            sizes[index] += sizes[index] < MAX_PARALLEL
        for (day, block), size in zip(free, sizes, strict=True):
            session_kind = "plenary" if size == 1 else "parallel"
            items += [(day, session_kind, *BLOCKS[block], order) for order in range(size)]
        return sorted(items, key=lambda item: (item[0], item[2] or time(0), item[4]))

    def _sessions(self, held: Held, topic_ids: list[int]) -> None:
        rng, table = self.rng, self.table(Session)
        days = (held.end - held.start).days + 1
        local = self.orgs_by_country[held.country.code]
        speakers = self.people_by_division[held.division_id] if held.division_id else []
        for day, kind, start, end, order in self._programme(held.kind, days):
            topic = self.topic_names[rng.choice(topic_ids)]
            angle = rng.choice(words.SESSION_ANGLES)
            visited = []
            location = ""
            if kind == "plenary":
                title, location = f"{topic}: {angle}", "Plenary hall"
            elif kind == "parallel":
                title, location = f"{topic} — {angle}", f"Room {'ABCD'[order]}"
            elif kind == "training":
                title = f"Pre-conference training: {topic.lower()}"
                location = f"Training room {order + 1}"
            elif kind == "technical_visit":
                visited = [self.orgs[i] for i in self._sample(local or self.parks, 1, 3)]
                title = "Technical visit: " + ", ".join(org.name for org in visited)
                location = held.city.name
            elif kind == "opening":
                title, location = "Opening ceremony", "Plenary hall"
            elif kind == "closing":
                title = "Closing ceremony and handover" if held.kind == "world" else "Closing"
                location = "Plenary hall"
            elif kind == "general_assembly":
                title, location = "General Assembly", "Plenary hall"
            else:
                title = "Welcome reception" if day == 0 else "Gala dinner"
                location = f"{held.city.name} City Hall" if day == 0 else held.city.name
            session = table.add(
                conference_id=held.id,
                kind=kind,
                title=title[:250],
                description=f"A session on {topic.lower()}: {angle}." if rng.random() < 0.3 else "",
                day=held.start + datetime.timedelta(days=day),
                start_time=start,
                end_time=end,
                location=location,
                order=order,
            )
            if kind in {"plenary", "parallel", "training"}:
                for topic_id in self._sample(topic_ids, 1, 2):
                    self.table(Session.topics.through).add(session_id=session.id, topic_id=topic_id)
            for org in visited:
                self.table(Session.organisations_visited.through).add(
                    session_id=session.id, organisation_id=org.id
                )
            self._appearances(held, session, kind, speakers)

    def _appearances(self, held: Held, session, kind: str, speakers: list[int]) -> None:
        rng = self.rng
        roles = {
            "opening": ["opening_address", "opening_address"],
            "plenary": ["keynote", "moderator"] + ["panellist"] * rng.randint(0, 1),
            "parallel": ["moderator"] + ["speaker"] * rng.randint(1, 3),
            "training": ["trainer"],
            "technical_visit": ["host"] * rng.randint(0, 1),
            "general_assembly": ["host"],
            "closing": ["speaker"],
        }.get(kind, [])
        chosen: set[int] = set()
        for order, role in enumerate(roles):
            pool = speakers if speakers and rng.random() < 0.6 else None
            while True:
                index = rng.choice(pool) if pool else rng.randrange(len(self.people))
                if index not in chosen or len(chosen) >= len(self.people):
                    break
                pool = None
            chosen.add(index)
            person = self.people[index]
            org = self.orgs[person.affiliation_id - 1] if person.affiliation_id else None
            capacity = ", ".join(part for part in (person.job_title, org and org.name) if part)
            self.table(Appearance).add(
                session_id=session.id,
                person_id=person.id,
                role=role,
                capacity=capacity[:250],
                order=order,
            )
            if role in {"keynote", "opening_address"}:
                held.speakers.append((person.id, session.id))

    # Outcomes ----------------------------------------------------------------------------

    def _outcomes(self) -> None:
        """Next-host decisions, other decisions, awards and quotes of conferences held."""
        rng = self.rng
        decisions = self.table(Decision)
        for (kind, _division), editions in self.series.items():
            for held, following in itertools.pairwise(editions):
                if held.end >= AS_OF or (kind == "division" and rng.random() < 0.5):
                    continue
                series = "World Conference" if kind == "world" else "division conference"
                decisions.add(
                    conference_id=held.id,
                    kind="next_host",
                    title=f"Next {series}: {following.city.name}, {following.year}",
                    text=(
                        f"The General Assembly chose {following.city.name}, "
                        f"{following.country.name} to host the {ordinal(following.edition)} "
                        f"{series} in {following.year}."
                    ),
                    host_city=following.city.name,
                    host_country=following.country.code,
                    host_organisation_id=following.host_ids[0],
                    host_year=following.year,
                    resulting_conference_id=following.id,
                )
        awards, quotes = self.table(Award), self.table(Quote)
        for held in self.held:
            if held.kind == "other":
                continue
            if rng.random() < 0.1:
                decisions.add(
                    conference_id=held.id,
                    kind="other",
                    title=rng.choice(words.OTHER_DECISIONS),
                    text="Adopted by the General Assembly.",
                )
            count = 2 if held.kind == "world" else int(rng.random() < 0.5)
            for name, recipient in rng.sample(words.AWARDS, count):
                person = organisation = None
                if recipient == "person":
                    person = rng.choice(self.people)
                    who = person.name
                else:
                    organisation = self.orgs[rng.choice(self.parks)]
                    who = organisation.name
                awards.add(
                    conference_id=held.id,
                    name=name,
                    recipient_person_id=person.id if person else None,
                    recipient_organisation_id=organisation.id if organisation else None,
                    citation=f"{name} {held.year}, awarded to {who}." if rng.random() < 0.7 else "",
                )
            if held.speakers and rng.random() < 0.4:
                for person_id, session_id in rng.sample(held.speakers, min(2, len(held.speakers))):
                    topic = self.topic_names[rng.choice(self.topic_ids)].lower()
                    quotes.add(
                        conference_id=held.id,
                        person_id=person_id,
                        session_id=session_id,
                        text=capitalised(rng.choice(words.QUOTES).format(topic=topic)),
                    )

    # Agreements --------------------------------------------------------------------------

    def _agreements(self) -> Iterator[tuple[type[models.Model], list]]:
        rng, table, slugs = self.rng, self.table(Agreement), Slugs(120)
        parties, links = self.table(AgreementParty), self.table(Agreement.topics.through)
        kinds = [(kind, label) for kind, label, _weight in words.AGREEMENT_KINDS]
        kind_weights = [weight for _kind, _label, weight in words.AGREEMENT_KINDS]
        venues = [held for held in self.held if held.year >= AGREEMENTS_FROM]
        for number in range(1, self.sizes.agreements + 1):
            kind, label = rng.choices(kinds, kind_weights)[0]
            orgs = self._parties()
            topic_ids = self._sample(self.topic_ids, 1, 4)
            signed_on = effective_on = expires_on = conference = None
            city, country = "", ""
            if rng.random() < 0.04:
                status = "draft"
            else:
                if venues and rng.random() < 0.12:
                    conference = rng.choice(venues)
                    days = (conference.end - conference.start).days
                    signed_on = conference.start + datetime.timedelta(days=rng.randint(0, days))
                    city, country = conference.city.name, conference.country.code
                else:
                    signed_on = self._signing_date()
                    if rng.random() < 0.6:
                        city, country = orgs[0].city.name, orgs[0].country.code
                if rng.random() < 0.7:
                    effective_on = signed_on + datetime.timedelta(days=rng.randint(0, 90))
                    if rng.random() < 0.6:
                        expires_on = effective_on.replace(
                            year=effective_on.year + rng.randint(2, 6), day=1
                        ) - datetime.timedelta(days=1)
                        expires_on = max(expires_on, effective_on)
                status = self._agreement_status(effective_on, expires_on)
            names = [org.name for org in orgs]
            between = f"{', '.join(names[:-1])} and {names[-1]}"
            focus = ""
            if rng.random() < 0.3:
                focus = f" on {self.topic_names[topic_ids[0]].lower()}"
            title = f"{label}{focus} between {between}"[:300]
            year = signed_on.year if signed_on else "draft"
            short = [org.short_name or org.name for org in orgs]
            slug = slugs.take(f"{kind.replace('_', ' ')} {' '.join(short)} {year}")
            row = table.add(
                kind=kind,
                title=title,
                slug=slug,
                status=status,
                signed_on=signed_on,
                signed_at_conference_id=conference.id if conference else None,
                signed_city=city,
                signed_country=country,
                effective_on=effective_on,
                expires_on=expires_on,
                summary=(
                    f"{between} agree to cooperate on "
                    f"{', '.join(self.topic_names[t].lower() for t in topic_ids)}."
                    if rng.random() < 0.6
                    else ""
                ),
                is_public=rng.random() < 0.9,
                source_url=(
                    f"https://news.example.org/{year}/{slug}/" if rng.random() < 0.2 else ""
                ),
            )
            for order, org in enumerate(orgs):
                staff = self.people_by_org[org.id]
                signatory = (
                    self.people[rng.choice(staff)].id if staff and rng.random() < 0.8 else None
                )
                reference = ""
                if rng.random() < 0.3:
                    reference = f"{acronym(org.name)[:10]}-{year}-{rng.randint(1, 999):03d}"
                parties.add(
                    agreement_id=row.id,
                    organisation_id=org.id,
                    reference_number=reference,
                    signatory_id=signatory,
                    order=order,
                )
            for topic_id in topic_ids:
                links.add(agreement_id=row.id, topic_id=topic_id)
            if number % CHUNK == 0:
                yield from self.flush(Agreement, Agreement.topics.through, AgreementParty)
        yield from self.flush(Agreement, Agreement.topics.through, AgreementParty)

    def _parties(self) -> list[Org]:
        """Two organisations (sometimes three): mostly parks, often of one division."""
        rng = self.rng
        first = self.orgs[
            rng.choice(self.parks) if rng.random() < 0.7 else rng.randrange(len(self.orgs))
        ]
        chosen = [first]
        for _ in range(2 if rng.random() < 0.15 else 1):
            neighbours = self.orgs_by_division.get(first.division_id) if first.division_id else None
            while True:
                if neighbours and rng.random() < 0.5:
                    org = self.orgs[rng.choice(neighbours)]
                else:
                    org = self.orgs[rng.randrange(len(self.orgs))]
                if all(org.id != other.id for other in chosen):
                    break
            chosen.append(org)
        return chosen

    def _signing_date(self) -> datetime.date:
        """Between 1990 and AS_OF, more of them in recent years (as the network grew)."""
        rng = self.rng
        span = AS_OF.year - AGREEMENTS_FROM + 1
        year = AGREEMENTS_FROM + int(span * math.sqrt(rng.random()))
        day = datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randrange(365))
        if day >= AS_OF:
            day = AS_OF - datetime.timedelta(days=rng.randint(1, 180))
        return day

    def _agreement_status(self, effective_on, expires_on) -> str:
        rng = self.rng
        if expires_on and expires_on < AS_OF:
            return "expired" if rng.random() < 0.9 else "terminated"
        if rng.random() < 0.04:
            return "terminated"
        if effective_on and effective_on <= AS_OF and rng.random() < 0.6:
            return "active"
        return "signed"
