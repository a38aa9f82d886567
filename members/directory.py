"""The member directory's counts, kept by the worker (core/aggregates.py).

The directory counts every current member once per facet, and its total: at 50,000 members
that is six passes over the table on each visit. The worker counts them once after changes,
per combination of country, kind, division and membership category (a few thousand cells at
most), and, country by country, per such combination and topic; the page adds up the cells
that match the visitor's filters. What the cells cannot answer (a name search; a topic with
other filters but no country; the countries of a topic with other filters) is counted by the
database.
"""

from collections import Counter
from typing import Any

from django.db.models import Count, Exists, OuterRef

from core.aggregates import part_key, read_many, register, register_family
from core.filters import FACET_LIMIT

from .models import Division, Membership, Organisation, Person, Topic

# Three values, so that the page without filters reads the small one alone, and a page
# filtered by country the topic cells of that country alone.
TOTALS_KEY = "members:directory"
CELLS_KEY = "members:directory-cells"
TOPIC_CELLS_KEY = "members:directory-topic-cells"

# The filters a cell answers, in the order of a cell's values: [country, kind, division
# slug, category, count]; a topic cell has the topic's slug before the count.
CELL_FILTERS = ("country", "kind", "division", "category")
TOPIC_CELL_FILTERS = (*CELL_FILTERS, "topic")


def directory_members():
    return Organisation.objects.for_directory().order_by()


def count_cells() -> list[list]:
    """Current members counted per country, kind, division and category."""
    cells = directory_members().values("country", "kind", "division__slug", "membership_category")
    return [
        [
            row["country"],
            row["kind"],
            row["division__slug"],
            row["membership_category"],
            row["count"],
        ]
        for row in cells.annotate(count=Count("pk"))
    ]


def count_topic_cells() -> dict[str, list[list]]:
    """Current members counted per country, kind, division, category and topic, country by
    country: a member counts once in each of its topics' cells, none without topics."""
    cells = (
        directory_members()
        .exclude(topics=None)
        .values("country", "kind", "division__slug", "membership_category", "topics__slug")
    )
    per_country: dict[str, list[list]] = {}
    for row in cells.annotate(count=Count("pk")):
        per_country.setdefault(row["country"], []).append(
            [
                row["country"],
                row["kind"],
                row["division__slug"],
                row["membership_category"],
                row["topics__slug"],
                row["count"],
            ]
        )
    return per_country


def count_totals() -> dict[str, Any]:
    """Current members counted per value of each filter, and in all; the divisions' names."""
    margins: dict[str, Counter] = {name: Counter() for name in CELL_FILTERS}
    total = 0
    for *values, count in count_cells():
        total += count
        for name, value in zip(CELL_FILTERS, values, strict=True):
            if value not in (None, ""):
                margins[name][value] += count
    tagged = Organisation.topics.through.objects.filter(
        Exists(Organisation.objects.current_members().filter(pk=OuterRef("organisation_id")))
    )
    topics = tagged.order_by().values("topic__slug", "topic__name").annotate(count=Count("pk"))
    divisions = directory_members().exclude(division=None)
    return {
        "total": total,
        "margins": margins,
        "divisions": dict(divisions.values_list("division__slug", "division__name").distinct()),
        "topics": [[row["topic__slug"], row["topic__name"], row["count"]] for row in topics],
    }


register(TOTALS_KEY, count_totals, counts=(Organisation, Membership, Division, Topic))
register(CELLS_KEY, count_cells, counts=(Organisation, Membership, Division, Topic))
register_family(
    TOPIC_CELLS_KEY, count_topic_cells, counts=(Organisation, Membership, Division, Topic)
)


class KeptDirectoryCounts:
    """The worker's counts for the filters chosen (one query): the totals alone without
    filters, the cells too with them, and the topic cells of the country chosen.

    `total` is None, and a facet missing from `per_filter`, where they cannot tell."""

    def __init__(self, chosen: dict[str, Any]) -> None:
        self.chosen = {name: chosen[name] for name in TOPIC_CELL_FILTERS if chosen.get(name)}
        country = self.chosen.get("country")
        topic_cells = part_key(TOPIC_CELLS_KEY, country) if country else None
        # The plain cells answer any choice without a topic; the topic cells of the country
        # chosen answer one with a topic.
        cells = bool(self.chosen) and "topic" not in self.chosen
        keys = [TOTALS_KEY, *([CELLS_KEY] if cells else []), *filter(None, [topic_cells])]
        kept = read_many(keys)
        self.is_lagging = any(aggregate.is_lagging for aggregate in kept.values())
        totals = kept[TOTALS_KEY].payload
        self.division_names: dict[str, str] = totals["divisions"]
        self.topics: list[list] = totals["topics"]
        self.total: int | None = None
        self.per_filter: dict[str, Counter] = {}
        if not self.chosen:
            self.total = totals["total"]
            self.per_filter = {name: Counter(totals["margins"][name]) for name in CELL_FILTERS}
        if set(self.chosen) <= {"topic"}:
            # The topic facet ignores its own choice: every current member's topics.
            self.per_filter["topic"] = Counter({slug: count for slug, _n, count in self.topics})
            if self.chosen:
                self.total = self.per_filter["topic"][self.chosen["topic"]]
            return
        if topic_cells:
            # Every cell is of the country chosen: the facets of the other filters and the
            # topics', and the total; not which other countries a topic has.
            total, per_filter = self.add_up(kept[topic_cells].payload or [], TOPIC_CELL_FILTERS)
            if "topic" in self.chosen:
                self.total = total
                self.per_filter = per_filter
                del self.per_filter["country"]
                return
            self.per_filter["topic"] = per_filter["topic"]
        if "topic" not in self.chosen:
            self.total, per_filter = self.add_up(kept[CELLS_KEY].payload, CELL_FILTERS)
            self.per_filter.update(per_filter)

    def add_up(self, cells: list[list], filters: tuple[str, ...]) -> tuple[int, dict[str, Counter]]:
        """One pass over the cells (values in the order of `filters`, then the count): a cell
        matching every chosen filter counts in the total and in every facet; one missing a
        single filter counts in that filter's facet only (each facet counts with the other
        filters applied)."""
        chosen = [(position, self.chosen.get(name)) for position, name in enumerate(filters)]
        chosen = [(position, value) for position, value in chosen if value]
        per_position = [Counter() for _name in filters]
        total = 0
        for cell in cells:
            missed = -1
            for position, value in chosen:
                if cell[position] != value:
                    if missed >= 0:
                        break
                    missed = position
            else:
                count = cell[-1]
                if missed >= 0:
                    per_position[missed][cell[missed]] += count
                    continue
                total += count
                for position, counter in enumerate(per_position):
                    counter[cell[position]] += count
        for counter in per_position:
            counter.pop(None, None)
            counter.pop("", None)
        return total, dict(zip(filters, per_position, strict=True))

    def per_topic(self) -> list[tuple[str, str, int]]:
        """Every topic with members under the other filters chosen, by name: (slug, name,
        count)."""
        names = {slug: name for slug, name, _count in self.topics}
        counts = self.per_filter["topic"]
        return sorted(
            ((slug, names.get(slug, slug), count) for slug, count in counts.items()),
            key=lambda topic: topic[1],
        )


# The list of people, unfiltered: its count and its country and organisation facets read
# every public person (500,000 at the largest dataset), so the worker keeps them too.
PEOPLE_KEY = "members:people"
# As many organisations as the organisation facet offers.
PEOPLE_ORGANISATIONS = FACET_LIMIT


def count_people() -> dict[str, Any]:
    """Public people in all, per country, and per organisation (the most staffed first)."""
    people = Person.objects.public().order_by()
    per_country = people.values("country").annotate(count=Count("pk"))
    per_organisation = (
        people.exclude(affiliation=None)
        .values("affiliation__slug", "affiliation__name")
        .annotate(count=Count("pk"))
        .order_by("-count", "affiliation__name")[:PEOPLE_ORGANISATIONS]
    )
    return {
        "total": people.count(),
        "countries": {row["country"]: row["count"] for row in per_country if row["country"]},
        "organisations": [
            [row["affiliation__slug"], row["affiliation__name"], row["count"]]
            for row in per_organisation
        ],
    }


register(PEOPLE_KEY, count_people, counts=(Person, Organisation))
