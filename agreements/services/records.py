"""Every write to agreements: the API, the admin's bulk actions, imports and the demo loader
call these. The model checks its own fields (`full_clean`: the slug's uniqueness, dates,
document); the rules across records (the parties) and the defaults live here, once."""

import datetime
from collections.abc import Iterable, Mapping, Sequence

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from conferences.models import Conference
from core.history import links_in_one_entry
from members.models import Organisation, Topic

from ..confirmations import PUBLISH_REFUSED, may_be_published
from ..models import MINIMUM_PARTIES, Agreement, AgreementDocument, AgreementParty
from .notices import answered_version, ask_again_if_changed


def _default_status(signed_on: datetime.date | None) -> str:
    """Without a status, an agreement with a signing date is signed and one without a draft."""
    return Agreement.Status.SIGNED if signed_on else Agreement.Status.DRAFT


# Each party's signing date, by the organisation's primary key.
PartyDates = Mapping[int, datetime.date | None]


def concluded_on(party_dates: Sequence[datetime.date | None]) -> datetime.date | None:
    """The date the last party signed, once every party has signed; None before."""
    if not party_dates or any(date is None for date in party_dates):
        return None
    return max(party_dates)


def _settle_dates(agreement: Agreement, party_dates: Sequence[datetime.date | None]) -> None:
    """The concluding date from the parties' dates, and the status from the dates (see
    `Agreement.derived_status`): set on the agreement before it is checked and saved."""
    concluded = concluded_on(party_dates)
    if concluded is not None:
        agreement.signed_on = concluded
    if agreement.status != Agreement.Status.DRAFT:
        agreement.status = agreement.derived_status()


def _party_date_errors(
    agreement: Agreement, party_dates: Sequence[datetime.date | None]
) -> list[ValidationError]:
    """A party cannot sign after the agreement was concluded, nor after it ended."""
    latest = max((date for date in party_dates if date is not None), default=None)
    if latest is None:
        return []
    if agreement.signed_on and latest > agreement.signed_on:
        return [
            ValidationError(
                _("A party cannot sign after the agreement was concluded (%(date)s).")
                % {"date": agreement.signed_on.isoformat()},
                code="signed_after_conclusion",
            )
        ]
    if agreement.terminated_on and latest > agreement.terminated_on:
        return [
            ValidationError(
                _("A party cannot sign after the agreement was terminated."),
                code="signed_after_termination",
            )
        ]
    return []


def _party_errors(parties: Sequence[Organisation]) -> list[ValidationError]:
    if len(parties) < MINIMUM_PARTIES:
        return [
            ValidationError(_("An agreement needs at least two parties."), code="too_few_parties")
        ]
    if any(party.pk is None for party in parties):
        return [
            ValidationError(
                _("Save every party before recording the agreement."), code="unsaved_party"
            )
        ]
    if len({party.pk for party in parties}) != len(parties):
        return [
            ValidationError(
                _("The same organisation cannot sign an agreement twice."), code="duplicate_party"
            )
        ]
    return []


def _slug_from_title_error(slug: str, error: ValidationError) -> ValidationError:
    """The model's complaint about a slug the caller did not give, said about the title."""
    if error.code == "blank":
        return ValidationError(_("Give a slug: none can be made from this title."), code="required")
    if error.code == "unique":
        return ValidationError(
            _("An agreement with the slug “%s” exists: give another.") % slug, code="unique"
        )
    return error


def _check(
    agreement: Agreement,
    *,
    parties: Sequence[Organisation] | None,
    party_dates: Sequence[datetime.date | None] = (),
    fields_changed: bool = True,
    slug_from_title: bool = False,
) -> None:
    """The model's checks and the parties' together: one ValidationError naming each field."""
    errors: dict[str, list[ValidationError]] = {}
    if date_errors := _party_date_errors(agreement, party_dates):
        errors["parties"] = date_errors
    if fields_changed:
        try:
            agreement.full_clean()
        except ValidationError as error:
            errors = error.update_error_dict(errors)
    if slug_from_title and "slug" in errors:
        errors["slug"] = [_slug_from_title_error(agreement.slug, e) for e in errors["slug"]]
    if parties is not None and (party_errors := _party_errors(parties)):
        errors["parties"] = party_errors + errors.get("parties", [])
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_agreement(
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
    documents: Sequence = (),
    proposed_by: AbstractBaseUser | None = None,
    proposed_for: Organisation | None = None,
    terminated_on: datetime.date | None = None,
    termination_reason: str = "",
    follows: Agreement | None = None,
    relation: str = "",
    party_dates: PartyDates | None = None,
) -> Agreement:
    """Record a new agreement; a slug that is taken is refused, its agreement left alone.

    Without a slug, one is made from the title; without a status, see `_default_status`.
    Parties are kept in the order given, each with its signing date from `party_dates`; once
    every party has one, the last of them is the agreement's `signed_on`. The status then
    follows the dates (`Agreement.derived_status`), unless it is a draft.
    """
    parties = list(parties)
    party_dates = dict(party_dates or {})
    dates = [party_dates.get(party.pk) for party in parties]
    signed_on = concluded_on(dates) or signed_on
    agreement = Agreement(
        slug=slug or slugify(title),
        title=title,
        kind=kind,
        status=status or _default_status(signed_on),
        signed_on=signed_on,
        effective_on=effective_on,
        expires_on=expires_on,
        signed_at_conference=signed_at_conference,
        signed_city=signed_city,
        signed_country=signed_country,
        summary=summary,
        source_url=source_url,
        is_public=is_public,
        proposed_by=proposed_by,
        proposed_for=proposed_for,
        terminated_on=terminated_on,
        termination_reason=termination_reason,
        follows=follows,
        relation=relation,
    )
    _settle_dates(agreement, dates)
    _check(agreement, parties=parties, party_dates=dates, slug_from_title=not slug)
    agreement.save()
    _sync_parties(agreement, parties, party_dates)
    with links_in_one_entry(agreement):
        agreement.topics.set(topics)
    if documents:
        add_agreement_documents(agreement=agreement, files=documents)
    return agreement


@transaction.atomic
def add_agreement_documents(
    *,
    agreement: Agreement,
    files: Sequence,
    kind: str = AgreementDocument.Kind.SIGNED_TEXT,
    language: str = "en",
    is_public: bool = False,
) -> list[AgreementDocument]:
    """Attach PDFs to the agreement, after those it has; each checked by the PDF parser (the
    field's validator) before anything is stored. Errors are said about `documents`."""
    start = agreement.documents.count()
    documents = [
        AgreementDocument(
            agreement=agreement,
            kind=kind,
            language=language,
            file=file,
            is_public=is_public,
            order=start + position,
        )
        for position, file in enumerate(files)
    ]
    for document in documents:
        try:
            document.full_clean(exclude=["agreement"])
        except ValidationError as error:
            raise ValidationError({"documents": error.messages}) from None
    for document in documents:
        document.save()
    if documents:
        # A new document moves `modified`, so that partners syncing see it.
        agreement.save(update_fields=["modified"])
    return documents


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
    terminated_on: datetime.date | None = None,
    termination_reason: str = "",
    follows: Agreement | None = None,
    relation: str = "",
    party_dates: PartyDates | None = None,
) -> Agreement:
    """Create the agreement, or bring the one with this slug in line with the arguments.

    For imports and the demo loader, which may run repeatedly: a second call with the same
    arguments writes nothing. Otherwise as `create_agreement` and `update_agreement`.
    """
    fields = {
        "title": title,
        "kind": kind,
        "signed_on": signed_on,
        "effective_on": effective_on,
        "expires_on": expires_on,
        "signed_at_conference": signed_at_conference,
        "signed_city": signed_city,
        "signed_country": signed_country,
        "summary": summary,
        "source_url": source_url,
        "is_public": is_public,
        "terminated_on": terminated_on,
        "termination_reason": termination_reason,
        "follows": follows,
        "relation": relation,
    }
    existing = Agreement.objects.select_for_update().filter(slug=slug or slugify(title)).first()
    if existing is None:
        return create_agreement(
            slug=slug,
            status=status,
            parties=parties,
            topics=topics,
            party_dates=party_dates,
            **fields,
        )
    return update_agreement(
        agreement=existing,
        parties=parties,
        topics=topics,
        party_dates=party_dates,
        status=status or _default_status(signed_on),
        **fields,
    )


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
        "confirmation_note",
        "terminated_on",
        "termination_reason",
        "follows",
        "relation",
    }
)


@transaction.atomic
def update_agreement(
    *,
    agreement: Agreement,
    parties: Sequence[Organisation] | None = None,
    topics: Iterable[Topic] | None = None,
    party_dates: PartyDates | None = None,
    ask_again: bool = True,
    **changes: object,
) -> Agreement:
    """Change the given fields, and the parties, their signing dates or topics when given; the
    rest stays.

    Parties are checked as on creation and kept in the order given; the reference numbers,
    signatories and signing dates of the organisations that remain parties are kept (a date
    in `party_dates` replaces theirs). The concluding date and the status then follow the
    dates as on creation. A member's proposal is
    made public only once its parties confirmed it (`may_be_published`); a change to what
    they confirmed asks them again (unless `ask_again` is False: the caller then asks, once
    it has recorded its own answer).
    """
    unknown = set(changes) - UPDATABLE_FIELDS
    if unknown:
        raise TypeError(f"update_agreement() cannot change: {', '.join(sorted(unknown))}")
    before = answered_version(agreement)
    publishing = changes.get("is_public") is True and not agreement.is_public
    if parties is not None:
        parties = list(parties)
    party_dates = dict(party_dates or {})
    dates = _party_dates_after(agreement, parties, party_dates)
    before = _field_values(agreement)
    for name, value in changes.items():
        setattr(agreement, name, value)
    _settle_dates(agreement, dates)
    after = _field_values(agreement)
    changed = sorted(name for name in UPDATABLE_FIELDS if after[name] != before[name])
    _check(agreement, parties=parties, party_dates=dates, fields_changed=bool(changed))
    parties_changed = (parties is not None or bool(party_dates)) and _sync_parties(
        agreement, parties if parties is not None else _current_parties(agreement), party_dates
    )
    topics_changed = False
    if topics is not None:
        topics = list(topics)
        topics_changed = {topic.pk for topic in topics} != set(
            agreement.topics.values_list("pk", flat=True)
        )
    if changed or parties_changed or topics_changed:
        # A new party or topic moves `modified` too, so that partners syncing see it.
        agreement.save(update_fields=changed or ["modified"])
    if topics_changed:
        # In the history entry of that save, not in entries of their own.
        with links_in_one_entry(agreement):
            agreement.topics.set(topics)
    if publishing:
        _check_publishable(agreement)
    if ask_again:
        ask_again_if_changed(agreement, before)
    return agreement


def _check_publishable(agreement: Agreement) -> None:
    """Refuse to publish a member's proposal its parties have not all confirmed as it stands."""
    if not (agreement.proposed_by_id or agreement.proposed_for_id):
        return
    if not may_be_published(Agreement.objects.for_confirmations().get(pk=agreement.pk)):
        raise ValidationError({"is_public": ValidationError(PUBLISH_REFUSED, code="unconfirmed")})


@transaction.atomic
def set_agreement_visibility(
    *,
    agreements: Iterable[Agreement],
    public: bool,
    changed_by: AbstractBaseUser | None,
) -> list[Agreement]:
    """Show the agreements to visitors or hide them; those that change, returned.

    Each is saved on its own rather than in one UPDATE, so that its history records who did it
    and the change clock moves (partners' conditional requests then see the change). A
    member's proposal that its parties have not all confirmed is refused, and nothing changes.
    """
    changed = []
    for agreement in agreements:
        if agreement.is_public == public:
            continue
        if public:
            try:
                _check_publishable(agreement)
            except ValidationError:
                raise ValidationError(
                    _("“%(title)s”: %(reason)s") % {"title": agreement, "reason": PUBLISH_REFUSED},
                    code="unconfirmed",
                ) from None
        agreement.is_public = public
        if changed_by is not None:
            agreement._history_user = changed_by
        agreement.save(update_fields=["is_public"])
        changed.append(agreement)
    return changed


def _field_values(agreement: Agreement) -> dict[str, object]:
    """The values update_agreement may change, a foreign key as its id (read, not loaded)."""
    return {
        name: getattr(agreement, Agreement._meta.get_field(name).attname)
        for name in UPDATABLE_FIELDS
    }


def _current_parties(agreement: Agreement) -> list[Organisation]:
    return [party.organisation for party in agreement.parties.select_related("organisation")]


def _party_dates_after(
    agreement: Agreement, parties: Sequence[Organisation] | None, party_dates: PartyDates
) -> list[datetime.date | None]:
    """Each party's signing date as it will be once the parties are synced."""
    stored = dict(agreement.parties.values_list("organisation_id", "signed_on"))
    organisation_ids = [party.pk for party in parties] if parties is not None else list(stored)
    return [party_dates[pk] if pk in party_dates else stored.get(pk) for pk in organisation_ids]


def _sync_parties(
    agreement: Agreement, parties: Sequence[Organisation], party_dates: PartyDates | None = None
) -> bool:
    """Make the parties those given, in that order, with the signing dates given; whether
    anything had to change."""
    party_dates = party_dates or {}
    wanted = [party.pk for party in parties]
    removed, _by_model = agreement.parties.exclude(organisation_id__in=wanted).delete()
    changed = removed > 0
    existing = {party.organisation_id: party for party in agreement.parties.all()}
    for order, organisation_id in enumerate(wanted):
        party = existing.get(organisation_id)
        if party is None:
            AgreementParty.objects.create(
                agreement=agreement,
                organisation_id=organisation_id,
                order=order,
                signed_on=party_dates.get(organisation_id),
            )
            changed = True
            continue
        fields = []
        if party.order != order:
            party.order = order
            fields.append("order")
        if organisation_id in party_dates and party.signed_on != party_dates[organisation_id]:
            party.signed_on = party_dates[organisation_id]
            fields.append("signed_on")
        if fields:
            party.save(update_fields=fields)
            changed = True
    return changed
