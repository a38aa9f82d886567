"""What every part of the builder shares: the day the dataset describes, its sizes, rows
numbered as they are added, unique slugs, and what later tables need to know of earlier ones.
"""

import datetime
import random
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.db.models.base import ModelState
from django.utils.text import slugify
from model_utils.models import TimeStampedModel

from . import vocabulary as words

# The day the dataset describes: conferences before it were held, memberships and offices
# without an end date still run. Rows are stamped as created and modified on this day.
AS_OF = datetime.date(2026, 7, 1)
GENERATED_AT = datetime.datetime(2026, 7, 1, tzinfo=datetime.UTC)
FIRST_YEAR, LAST_YEAR = 1984, 2027
OTHER_EVENTS_FROM = AGREEMENTS_FROM = 1990
MIN_SCALE = 0.01

SESSIONS_PER_CONFERENCE = 20
# One world conference has a programme of this size: a large page to measure.
LARGE_PROGRAMME = 300
# Organisations taking part in that conference, hosts included.
LARGE_PARTICIPANTS = 24
# The world conference is held once a year; its edition is its year's distance from 1983,
# as in the demo data (the 42nd in 2025).
WORLD_EDITION_OFFSET = FIRST_YEAR - 1
CHUNK = 5_000  # agreements, or sessions, handed out at a time

NOT_IN_ACRONYMS = {"of", "and", "for", "de", "del", "di", "e", "y", "the", "on"}
# Field defaults shared by every row built without __init__ must be immutable.
FIXED = (type(None), str, int, float, Decimal, datetime.date)


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
        self.pk = model._meta.pk.attname
        fields = model._meta.concrete_fields
        self.attnames = {field.attname for field in fields}
        self.defaults = {field.attname: field.get_default() for field in fields}
        mutable = [name for name, value in self.defaults.items() if not isinstance(value, FIXED)]
        assert not mutable, f"{model.__name__}: a default to copy per row: {mutable}"

    def add(self, **values) -> models.Model:
        """A new row, made without Model.__init__: with its signals and field-by-field
        descriptors it costs more than everything else the builder does together."""
        if not values.keys() <= self.attnames:
            raise TypeError(f"{self.model.__name__} has no {values.keys() - self.attnames}")
        self.count += 1
        row = self.model.__new__(self.model)
        row.__dict__.update(self.defaults)
        row.__dict__.update(values)
        row.__dict__[self.pk] = self.count
        if self.stamped:
            row.created = row.modified = GENERATED_AT + datetime.timedelta(seconds=self.count)
        row._state = ModelState()
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


class Builder:
    """One random generator and the tables it fills, shared by the parts of DatasetBuilder."""

    def __init__(self, *, scale: float, seed: int):
        self.sizes = Sizes.for_scale(scale)
        self.seed = seed
        self.rng = random.Random(seed)
        self.tables: dict[type[models.Model], Table] = {}

    def table(self, model: type[models.Model]) -> Table:
        if model not in self.tables:
            self.tables[model] = Table(model)
        return self.tables[model]

    def flush(self, *models_: type[models.Model]) -> Iterator[tuple[type[models.Model], list]]:
        for model in models_:
            rows = self.table(model).take()
            if rows:
                yield model, rows

    def _pick(self, choices: list[tuple], k: int = 1) -> list:
        values, weights = zip(*choices, strict=True)
        return self.rng.choices(values, weights, k=k)

    def _sample(self, population, low: int, high: int) -> list:
        return self.rng.sample(population, min(len(population), self.rng.randint(low, high)))
