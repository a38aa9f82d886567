import datetime
from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from conferences.models import Conference
from members.models import Organisation, Topic

from .models import MINIMUM_PARTIES, Agreement, AgreementParty


def _check_parties(parties: Sequence[Organisation]) -> None:
    if len(parties) < MINIMUM_PARTIES:
        raise ValidationError(
            {"parties": _("An agreement needs at least two parties.")}, code="too_few_parties"
        )
    if any(party.pk is None for party in parties):
        raise ValidationError(
            {"parties": _("Save every party before recording the agreement.")},
            code="unsaved_party",
        )
    if len({party.pk for party in parties}) != len(parties):
        raise ValidationError(
            {"parties": _("The same organisation cannot sign an agreement twice.")},
            code="duplicate_party",
        )


@transaction.atomic
def record_agreement(
    *,
    title: str,
    kind: str,
    parties: Sequence[Organisation],
    signed_on: datetime.date | None = None,
    effective_on: datetime.date | None = None,
    expires_on: datetime.date | None = None,
    slug: str = "",
    status: str = "",
    signed_at_conference: Conference | None = None,
    signed_city: str = "",
    signed_country: str = "",
    summary: str = "",
    topics: Iterable[Topic] = (),
    source_url: str = "",
    is_public: bool = True,
) -> Agreement:
    """Create the agreement, or bring the one with this slug in line with the arguments.

    Parties are kept in the order given. A second call with the same arguments writes nothing,
    so imports and the demo loader can run repeatedly. Without a status, an agreement with a
    signing date is signed and one without is a draft.
    """
    parties = list(parties)
    _check_parties(parties)
    slug = slug or slugify(title)
    values = {
        "title": title,
        "kind": kind,
        "status": status or (Agreement.Status.SIGNED if signed_on else Agreement.Status.DRAFT),
        "signed_on": signed_on,
        "effective_on": effective_on,
        "expires_on": expires_on,
        "signed_at_conference": signed_at_conference,
        "signed_city": signed_city,
        "signed_country": signed_country,
        "summary": summary,
        "source_url": source_url,
        "is_public": is_public,
    }

    agreement = Agreement.objects.select_for_update().filter(slug=slug).first()
    if agreement is None:
        agreement = Agreement(slug=slug, **values)
        agreement.full_clean()
        agreement.save()
    else:
        changed = [name for name, value in values.items() if getattr(agreement, name) != value]
        if changed:
            for name in changed:
                setattr(agreement, name, values[name])
            agreement.full_clean()
            agreement.save(update_fields=changed)

    _sync_parties(agreement, parties)
    agreement.topics.set(topics)
    return agreement


# What update_agreement may change besides parties and topics.
UPDATABLE_FIELDS = frozenset(
    {
        "title",
        "slug",
        "kind",
        "status",
        "signed_on",
        "effective_on",
        "expires_on",
        "signed_at_conference",
        "signed_city",
        "signed_country",
        "summary",
        "source_url",
        "is_public",
        "document_is_public",
    }
)


@transaction.atomic
def update_agreement(
    *,
    agreement: Agreement,
    parties: Sequence[Organisation] | None = None,
    topics: Iterable[Topic] | None = None,
    **changes: object,
) -> Agreement:
    """Change the given fields, and the parties or topics when given; the rest stays.

    Parties are checked as on creation and kept in the order given; the reference numbers and
    signatories of the organisations that remain parties are kept.
    """
    unknown = set(changes) - UPDATABLE_FIELDS
    if unknown:
        raise TypeError(f"update_agreement() cannot change: {', '.join(sorted(unknown))}")
    if parties is not None:
        parties = list(parties)
        _check_parties(parties)
    changed = [name for name, value in changes.items() if getattr(agreement, name) != value]
    for name in changed:
        setattr(agreement, name, changes[name])
    if changed:
        agreement.full_clean()
    links_changed = False
    if parties is not None:
        links_changed |= _sync_parties(agreement, parties)
    if topics is not None:
        topics = list(topics)
        if {topic.pk for topic in topics} != set(agreement.topics.values_list("pk", flat=True)):
            agreement.topics.set(topics)
            links_changed = True
    if changed or links_changed:
        # A new party or topic moves `modified` too, so that partners syncing see it.
        agreement.save(update_fields=changed or ["modified"])
    return agreement


def _sync_parties(agreement: Agreement, parties: Sequence[Organisation]) -> bool:
    """Make the parties those given, in that order; whether anything had to change."""
    wanted = [party.pk for party in parties]
    removed, _by_model = agreement.parties.exclude(organisation_id__in=wanted).delete()
    changed = removed > 0
    existing = {party.organisation_id: party for party in agreement.parties.all()}
    for order, organisation_id in enumerate(wanted):
        party = existing.get(organisation_id)
        if party is None:
            AgreementParty.objects.create(
                agreement=agreement, organisation_id=organisation_id, order=order
            )
            changed = True
        elif party.order != order:
            party.order = order
            party.save(update_fields=["order"])
            changed = True
    return changed
