"""Every write to agreements: the API, the admin's bulk actions, imports and the demo loader
call these. The model checks its own fields (`full_clean`: the slug's uniqueness, dates,
document); the rules across records (the parties) and the defaults live here, once."""

import datetime
from collections.abc import Iterable, Sequence

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
    fields_changed: bool = True,
    slug_from_title: bool = False,
) -> None:
    """The model's checks and the parties' together: one ValidationError naming each field."""
    errors: dict[str, list[ValidationError]] = {}
    if fields_changed:
        try:
            agreement.full_clean()
        except ValidationError as error:
            errors = error.update_error_dict(errors)
    if slug_from_title and "slug" in errors:
        errors["slug"] = [_slug_from_title_error(agreement.slug, e) for e in errors["slug"]]
    if parties is not None and (party_errors := _party_errors(parties)):
        errors["parties"] = party_errors
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
) -> Agreement:
    """Record a new agreement; a slug that is taken is refused, its agreement left alone.

    Without a slug, one is made from the title; without a status, see `_default_status`.
    Parties are kept in the order given.
    """
    parties = list(parties)
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
    )
    _check(agreement, parties=parties, slug_from_title=not slug)
    agreement.save()
    _sync_parties(agreement, parties)
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
    }
    existing = Agreement.objects.select_for_update().filter(slug=slug or slugify(title)).first()
    if existing is None:
        return create_agreement(slug=slug, status=status, parties=parties, topics=topics, **fields)
    return update_agreement(
        agreement=existing,
        parties=parties,
        topics=topics,
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
    }
)


@transaction.atomic
def update_agreement(
    *,
    agreement: Agreement,
    parties: Sequence[Organisation] | None = None,
    topics: Iterable[Topic] | None = None,
    ask_again: bool = True,
    **changes: object,
) -> Agreement:
    """Change the given fields, and the parties or topics when given; the rest stays.

    Parties are checked as on creation and kept in the order given; the reference numbers and
    signatories of the organisations that remain parties are kept. A member's proposal is
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
    changed = [name for name, value in changes.items() if getattr(agreement, name) != value]
    for name in changed:
        setattr(agreement, name, changes[name])
    _check(agreement, parties=parties, fields_changed=bool(changed))
    parties_changed = parties is not None and _sync_parties(agreement, parties)
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
