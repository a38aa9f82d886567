"""Conferences with their hosts, programmes and speakers, and what was decided and awarded."""

import datetime
import itertools
import random
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import models

from conferences.models import (
    Appearance,
    Award,
    Conference,
    ConferenceHost,
    Decision,
    Quote,
    Session,
)

from . import vocabulary as words
from .rows import (
    AS_OF,
    CHUNK,
    FIRST_YEAR,
    LARGE_PARTICIPANTS,
    LARGE_PROGRAMME,
    LAST_YEAR,
    OTHER_EVENTS_FROM,
    SESSIONS_PER_CONFERENCE,
    WORLD_EDITION_OFFSET,
    Builder,
    Held,
    Slugs,
    capitalised,
    ordinal,
)

BLOCKS = [
    (datetime.time(9), datetime.time(10, 30)),
    (datetime.time(11), datetime.time(12, 30)),
    (datetime.time(14), datetime.time(15, 30)),
    (datetime.time(16), datetime.time(17, 30)),
]
MAX_PARALLEL = 4


def large_programme_index(plan: list[tuple]) -> int | None:
    """The conference given LARGE_PROGRAMME items: the last world conference of a year before
    AS_OF's (one already held), else the first world conference."""
    world = [
        (start, n) for n, (kind, _division, start, _edition) in enumerate(plan) if kind == "world"
    ]
    if not world:
        return None
    held = [item for item in world if item[0].year < AS_OF.year]
    return max(held)[1] if held else min(world)[1]


class EventBuilder(Builder):
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
        plan = self._conference_plan()
        large = large_programme_index(plan)
        for index, (kind, division_id, start, edition) in enumerate(plan):
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
            if status == "held" and kind != "world" and self._cancelled(start):
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
                is_published=True,
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
            taking_part = set(host_ids)
            if status == "held":
                for org_index in self._sample(range(len(self.orgs)), 0, 8):
                    if self.orgs[org_index].id not in taking_part:
                        taking_part.add(self.orgs[org_index].id)
                        self.table(Conference.participating_organisations.through).add(
                            conference_id=row.id, organisation_id=self.orgs[org_index].id
                        )
            held = Held(
                row.id, kind, division_id, start.year, start, end, country, city, host_ids,
                edition, [],
            )  # fmt: skip
            self._sessions(held, topic_ids)
            if index == large:
                self._more_sessions(held, topic_ids, LARGE_PROGRAMME - SESSIONS_PER_CONFERENCE)
                self._more_participants(row.id, taking_part)
            if status == "held":
                self.held.append(held)
            if kind != "other":
                self.series[series_key].append(held)
            if row.id % (CHUNK // SESSIONS_PER_CONFERENCE) == 0:
                yield from self._flush_conferences()
        yield from self._flush_conferences()

    def _more_participants(self, conference_id: int, taking_part: set[int]) -> None:
        """Organisations taking part in the conference of the large programme, as a world
        conference reports them: LARGE_PARTICIPANTS of them at every scale (every
        organisation at a scale that has fewer), whatever the draw above gave. Drawn from a
        generator of their own (see `_more_sessions`)."""
        table = self.table(Conference.participating_organisations.through)
        with self._own_random(f"large-participants-{self.seed}"):
            candidates = self.rng.sample(range(len(self.orgs)), len(self.orgs))
        for org_index in candidates:
            if len(taking_part) >= LARGE_PARTICIPANTS:
                break
            if self.orgs[org_index].id not in taking_part:
                taking_part.add(self.orgs[org_index].id)
                table.add(conference_id=conference_id, organisation_id=self.orgs[org_index].id)

    def _more_sessions(self, held: Held, topic_ids: list[int], count: int) -> None:
        """`count` more parallel sessions, spread over the rooms of every time block after the
        first day but the General Assembly's and the closing's. Drawn from a generator of their
        own, so that every other row is the same with or without them."""
        days = (held.end - held.start).days + 1
        taken = {(days - 2, 3), (days - 1, 3)}
        blocks = [(d, b) for d in range(1, days) for b in range(len(BLOCKS)) if (d, b) not in taken]
        speakers = self.people_by_division[held.division_id] if held.division_id else []
        table = self.table(Session)
        with self._own_random(f"large-programme-{self.seed}"):
            rng = self.rng
            for n in range(count):
                day, block = blocks[n % len(blocks)]
                order = MAX_PARALLEL + n // len(blocks)
                topic = self.topic_names[rng.choice(topic_ids)]
                angle = rng.choice(words.SESSION_ANGLES)
                session = table.add(
                    conference_id=held.id,
                    kind="parallel",
                    title=f"{topic} — {angle}"[:250],
                    description=f"A session on {topic.lower()}: {angle}."
                    if rng.random() < 0.3
                    else "",
                    day=held.start + datetime.timedelta(days=day),
                    start_time=BLOCKS[block][0],
                    end_time=BLOCKS[block][1],
                    location=f"Room {order + 1}",
                    order=order,
                )
                for topic_id in self._sample(topic_ids, 1, 2):
                    self.table(Session.topics.through).add(session_id=session.id, topic_id=topic_id)
                self._appearances(held, session, "parallel", speakers)

    @contextmanager
    def _own_random(self, name: str):
        shared, self.rng = self.rng, random.Random(name)
        try:
            yield
        finally:
            self.rng = shared

    def _cancelled(self, start: datetime.date) -> bool:
        """Half the events of the pandemic's first year, and a few others."""
        pandemic = datetime.date(2020, 3, 1) <= start <= datetime.date(2021, 2, 28)
        return self.rng.random() < (0.5 if pandemic else 0.02)

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
