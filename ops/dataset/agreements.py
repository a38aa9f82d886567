"""Cooperation agreements between two or three organisations."""

import datetime
import math
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import models

from agreements.models import Agreement, AgreementParty

from . import vocabulary as words
from .rows import AGREEMENTS_FROM, AS_OF, CHUNK, Builder, Org, Slugs, acronym


@dataclass(frozen=True)
class Followed:
    id: int
    kind: str
    label: str
    orgs: list[Org]
    effective_on: datetime.date
    expires_on: datetime.date | None


TERMINATION_REASONS = [
    "Ended by mutual consent of the parties.",
    "One party withdrew with the notice the agreement provides.",
    "Replaced by a wider agreement between the parties.",
    "One party ceased its activities.",
]


class AgreementBuilder(Builder):
    def _agreements(self) -> Iterator[tuple[type[models.Model], list]]:
        rng, table, slugs = self.rng, self.table(Agreement), Slugs(120)
        parties, links = self.table(AgreementParty), self.table(Agreement.topics.through)
        kinds = [(kind, label) for kind, label, _weight in words.AGREEMENT_KINDS]
        kind_weights = [weight for _kind, _label, weight in words.AGREEMENT_KINDS]
        venues = [held for held in self.held if held.year >= AGREEMENTS_FROM]
        # Agreements in force at some time, which a later one may renew or amend.
        followable: list[Followed] = []
        for number in range(1, self.sizes.agreements + 1):
            kind, label = rng.choices(kinds, kind_weights)[0]
            orgs = self._parties()
            topic_ids = self._sample(self.topic_ids, 1, 4)
            signed_on = effective_on = expires_on = conference = None
            city, country = "", ""
            follows_id, relation = None, ""
            earlier = None
            if followable and rng.random() < 0.12:
                earlier = followable.pop(rng.randrange(len(followable)))
            if earlier is not None:
                # The same parties again: a renewal once the earlier one ends, else an amendment.
                kind, label, orgs = earlier.kind, earlier.label, earlier.orgs
                follows_id = earlier.id
                signed_on, effective_on, expires_on, relation = self._following(earlier)
                status = self._agreement_status(effective_on, expires_on)
            elif rng.random() < 0.04:
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
            title = f"{label}{focus} between {between}"
            if relation == "renews":
                title = f"Renewal of the {label[0].lower()}{label[1:]} between {between}"
            elif relation == "amends":
                title = f"Amendment to the {label[0].lower()}{label[1:]} between {between}"
            title = title[:300]
            terminated_on, reason = None, ""
            if status == "terminated":
                terminated_on, reason = self._termination(signed_on, effective_on, expires_on)
                if terminated_on is None:  # it had not entered into force by then
                    status = "signed"
            elif status in ("signed", "active") and effective_on and effective_on <= AS_OF:
                status = "active"  # as the daily refresh would have it
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
                terminated_on=terminated_on,
                termination_reason=reason,
                follows_id=follows_id,
                relation=relation,
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
                # The last party signs on the agreement's date, the others up to a month before.
                party_signed_on = signed_on
                if signed_on and order < len(orgs) - 1 and rng.random() < 0.5:
                    party_signed_on = signed_on - datetime.timedelta(days=rng.randint(1, 30))
                parties.add(
                    agreement_id=row.id,
                    organisation_id=org.id,
                    reference_number=reference,
                    signatory_id=signatory,
                    signed_on=party_signed_on,
                    order=order,
                )
            if effective_on and status != "draft" and relation != "amends":
                followable.append(Followed(row.id, kind, label, orgs, effective_on, expires_on))
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

    def _following(self, earlier: Followed) -> tuple:
        """The dates of an agreement renewing `earlier` (when it has ended by AS_OF, or soon
        will), else amending it, and which: (signed_on, effective_on, expires_on, relation)."""
        rng = self.rng
        latest = AS_OF - datetime.timedelta(days=1)
        if earlier.expires_on and earlier.expires_on <= AS_OF + datetime.timedelta(days=365):
            signed_on = min(
                earlier.expires_on - datetime.timedelta(days=rng.randint(0, 60)), latest
            )
            signed_on = max(signed_on, earlier.effective_on)
            effective_on = earlier.expires_on + datetime.timedelta(days=1)
            expires_on = effective_on.replace(
                year=effective_on.year + rng.randint(2, 5)
            ) - datetime.timedelta(days=1)
            return signed_on, effective_on, expires_on, "renews"
        signed_on = min(
            earlier.effective_on + datetime.timedelta(days=rng.randint(30, 700)), latest
        )
        signed_on = max(signed_on, earlier.effective_on)
        return signed_on, signed_on, earlier.expires_on, "amends"

    def _termination(self, signed_on, effective_on, expires_on) -> tuple:
        """A date between its entry into force (or signature) and its expiry or AS_OF, and why;
        (None, "") when it had not entered into force by AS_OF."""
        rng = self.rng
        start = max(date for date in (signed_on, effective_on) if date)
        end = min(date for date in (expires_on, AS_OF) if date)
        if start > end:
            return None, ""
        day = start + datetime.timedelta(days=rng.randint(0, (end - start).days))
        return day, rng.choice(TERMINATION_REASONS)

    def _agreement_status(self, effective_on, expires_on) -> str:
        rng = self.rng
        if expires_on and expires_on < AS_OF:
            return "expired" if rng.random() < 0.9 else "terminated"
        if rng.random() < 0.04:
            return "terminated"
        if effective_on and effective_on <= AS_OF and rng.random() < 0.6:
            return "active"
        return "signed"
