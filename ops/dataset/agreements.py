"""Cooperation agreements between two or three organisations."""

import datetime
import math
from collections.abc import Iterator

from django.db import models

from agreements.models import Agreement, AgreementParty

from . import vocabulary as words
from .rows import AGREEMENTS_FROM, AS_OF, CHUNK, Builder, Org, Slugs, acronym


class AgreementBuilder(Builder):
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
