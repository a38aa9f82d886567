"""Topics, divisions, organisations with their memberships, people and their offices."""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.utils.text import slugify

from members.models import Division, Membership, Office, Organisation, Person, Topic

from . import vocabulary as words
from .rows import AS_OF, FIRST_YEAR, Builder, Org, Slugs, acronym, ror_id

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


class DirectoryBuilder(Builder):
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
