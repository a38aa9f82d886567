"""What each party has confirmed of an agreement's record.

A party confirms one exact version of the record: the fingerprint of what it says (below).
When the record changes, the fingerprint changes, and the party's earlier answer no longer
counts. Everything here reads the agreement's prefetched parties (with their answers,
`AgreementParty.objects.with_confirmation()`) and topics: `Agreement.objects.for_confirmations()`
loads them, and a page that did pays no query here.
"""

import datetime
import hashlib
import json
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models import Organisation

from .models import Agreement, AgreementConfirmation, AgreementDocument, AgreementParty

CONFIRMED = "confirmed"
CHANGED = "changed"
CORRECTION = "correction"
WAITING = "waiting"


def version_of(agreement: Agreement, *, topics=None, parties=None) -> dict:
    """What a party confirms, as plain values in a fixed shape; `topics` and `parties` in
    place of the agreement's own, for a form that has not saved them yet."""
    topics = agreement.topics.all() if topics is None else topics
    parties = agreement.parties.all() if parties is None else parties
    version = {
        "kind": agreement.kind,
        "title": agreement.title,
        "signed_on": agreement.signed_on.isoformat() if agreement.signed_on else None,
        "signed_city": agreement.signed_city,
        "signed_country": str(agreement.signed_country or ""),
        "conference": agreement.signed_at_conference_id,
        "effective_on": agreement.effective_on.isoformat() if agreement.effective_on else None,
        "expires_on": agreement.expires_on.isoformat() if agreement.expires_on else None,
        "summary": agreement.summary,
        "topics": sorted(topic.slug for topic in topics),
        "parties": [_party_version(agreement, party) for party in parties],
    }
    # The signed text is part of what the parties confirm; annexes and translations added
    # later do not ask them again. The first keeps the key of the one document agreements had
    # at first, so that answers given then still match.
    documents = agreement.documents.all() if agreement.pk else []
    signed = [
        document.file.name
        for document in documents
        if document.kind == AgreementDocument.Kind.SIGNED_TEXT
    ]
    version["document"] = signed[0] if signed else ""
    if len(signed) > 1:
        version["other_signed_texts"] = sorted(signed[1:])
    # The agreement's life, in the shape only once it says something, so that the fingerprints
    # parties confirmed before it was recorded still match.
    if agreement.terminated_on or agreement.termination_reason:
        version["terminated_on"] = (
            agreement.terminated_on.isoformat() if agreement.terminated_on else None
        )
        version["termination_reason"] = agreement.termination_reason
    if agreement.follows_id or agreement.relation:
        version["follows"] = agreement.follows_id
        version["relation"] = agreement.relation
    return version


def _party_version(agreement: Agreement, party: AgreementParty) -> dict:
    """A party's side: its signing date only when it is not the agreement's (every party's
    date was the agreement's before each party had its own)."""
    version = {"organisation": party.organisation_id, "signatory": party.signatory_id}
    if party.signed_on != agreement.signed_on:
        version["signed_on"] = party.signed_on.isoformat() if party.signed_on else None
    return version


def fingerprint(agreement: Agreement, *, topics=None, parties=None) -> str:
    version = version_of(agreement, topics=topics, parties=parties)
    canonical = json.dumps(version, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True)
class PartyState:
    party: AgreementParty
    state: str
    answered_at: datetime.datetime | None
    message: str

    @property
    def organisation(self) -> Organisation:
        return self.party.organisation

    @property
    def is_confirmed(self) -> bool:
        return self.state == CONFIRMED

    @property
    def confirmed_on(self) -> datetime.date | None:
        if self.state != CONFIRMED or self.answered_at is None:
            return None
        return timezone.localdate(self.answered_at)

    @property
    def label(self) -> str:
        if self.state == CONFIRMED:
            return _("Confirmed")
        if self.state == CORRECTION:
            return _("Correction asked")
        if self.state == CHANGED:
            return _("Changed since confirmed")
        return _("Waiting for confirmation")


def party_states(agreement: Agreement, current: str | None = None) -> list[PartyState]:
    """Each party in the document's order: confirmed (this version), changed since confirmed,
    correction asked (of this version), or waiting."""
    current = current or fingerprint(agreement)
    states = []
    for party in agreement.parties.all():
        answer = getattr(party, "answer_state", None)
        matches = getattr(party, "answer_fingerprint", None) == current
        if answer == AgreementConfirmation.State.CONFIRMED:
            state = CONFIRMED if matches else CHANGED
        elif answer == AgreementConfirmation.State.CORRECTION:
            state = CORRECTION if matches else WAITING
        else:
            state = WAITING
        states.append(
            PartyState(
                party=party,
                state=state,
                answered_at=getattr(party, "answer_at", None),
                message=getattr(party, "answer_message", None) or "",
            )
        )
    return states


def is_fully_confirmed(agreement: Agreement) -> bool:
    states = party_states(agreement)
    return bool(states) and all(state.is_confirmed for state in states)


def has_confirmations(agreement: Agreement) -> bool:
    """Whether parties are asked to confirm it: it was proposed in the members' area, or a
    party has answered."""
    return bool(agreement.proposed_by_id or agreement.proposed_for_id) or any(
        getattr(party, "answer_state", None) for party in agreement.parties.all()
    )


def may_be_published(agreement: Agreement) -> bool:
    """A member's proposal goes public once every party has confirmed this version of it, or
    with staff's note on why not."""
    if not (agreement.proposed_by_id or agreement.proposed_for_id):
        return True
    return bool(agreement.confirmation_note.strip()) or is_fully_confirmed(agreement)


def may_be_published_with(agreement: Agreement, *, topics) -> bool:
    """`may_be_published` for a form about to save the agreement's fields and these topics;
    its parties as they are stored."""
    if not (agreement.proposed_by_id or agreement.proposed_for_id):
        return True
    if agreement.confirmation_note.strip():
        return True
    parties = list(
        AgreementParty.objects.filter(agreement_id=agreement.pk)
        .order_by("order", "pk")
        .with_confirmation()
    )
    current = fingerprint(agreement, topics=topics, parties=parties)
    return bool(parties) and all(
        party.answer_state == AgreementConfirmation.State.CONFIRMED
        and party.answer_fingerprint == current
        for party in parties
    )


PUBLISH_REFUSED = _(
    "Not every party has confirmed this version of the agreement yet. Wait for their "
    "confirmations, or explain in the note on confirmations why it is published without them."
)
