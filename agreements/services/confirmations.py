"""Agreements a member organisation records in the members' area, and the other parties'
answers: each party confirms the record as it stands, or asks for a correction."""

import datetime
from collections.abc import Iterable, Sequence

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from conferences.models import Conference
from members.models import Organisation, Topic

from ..confirmations import fingerprint
from ..models import Agreement, AgreementConfirmation, AgreementDocument
from .notices import (
    answered_version,
    ask_again_if_changed,
    ask_parties,
    tell_proposer_of_correction,
    tell_staff_of_proposal,
)
from .records import add_agreement_documents, create_agreement, update_agreement


def _record_answer(
    *,
    agreement: Agreement,
    organisation: Organisation,
    user: AbstractBaseUser | None,
    state: str,
    message: str = "",
) -> AgreementConfirmation:
    stored = Agreement.objects.for_confirmations().get(pk=agreement.pk)
    answer, _created = AgreementConfirmation.objects.update_or_create(
        agreement=stored,
        organisation=organisation,
        defaults={
            "state": state,
            "message": message,
            "fingerprint": fingerprint(stored),
            "answered_by": user,
            "answered_at": timezone.now(),
        },
    )
    return answer


def _check_party(agreement: Agreement, organisation: Organisation) -> None:
    if not agreement.parties.filter(organisation=organisation).exists():
        raise ValidationError(
            _("%(organisation)s is not a party to this agreement.")
            % {"organisation": organisation},
            code="not_a_party",
        )


def _party_dates(
    proposer: Organisation,
    others: Sequence[Organisation],
    signed_on: datetime.date | None,
    others_signed_on: datetime.date | None,
) -> dict[int, datetime.date | None]:
    """The member's organisation signed on its date, the other parties on theirs."""
    return {proposer.pk: signed_on} | {party.pk: others_signed_on for party in others}


def _free_slug(title: str) -> str:
    """The title's slug, numbered when another agreement has it: a member cannot see which
    slugs are taken, and should not be refused for it."""
    base = slugify(title)[:280]
    if not base:
        return ""  # the create service says why
    slug, number = base, 1
    while Agreement.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


@transaction.atomic
def propose_agreement(
    *,
    proposed_by: AbstractBaseUser,
    organisation: Organisation,
    other_parties: Sequence[Organisation],
    kind: str,
    title: str,
    signed_on: datetime.date,
    signed_city: str = "",
    signed_at_conference: Conference | None = None,
    topics: Iterable[Topic] = (),
    summary: str = "",
    others_signed_on: datetime.date | None = None,
    effective_on: datetime.date | None = None,
    expires_on: datetime.date | None = None,
    renews: Agreement | None = None,
    documents: Sequence = (),
    document_kind: str = AgreementDocument.Kind.SIGNED_TEXT,
    document_language: str = "en",
) -> Agreement:
    """A member's record of an agreement their organisation signed: hidden from visitors until
    staff publish it, confirmed by the proposing party, and the other parties asked to
    confirm it. Staff are told, and of any party nobody can be asked for.

    `signed_on` is the date the member's organisation signed, `others_signed_on` the other
    parties' (when known); `renews`, the earlier agreement this one renews."""
    others = [party for party in other_parties if party.pk != organisation.pk]
    if len(others) != len(list(other_parties)) or not others:
        raise ValidationError(
            {
                "other_parties": ValidationError(
                    _("Choose at least one other organisation that signed it."),
                    code="other_parties",
                )
            }
        )
    signed_country = ""
    if signed_at_conference is not None and not signed_city:
        signed_city = signed_at_conference.city
    if signed_at_conference is not None:
        signed_country = signed_at_conference.country.code
    agreement = create_agreement(
        slug=_free_slug(title),
        title=title,
        kind=kind,
        parties=[organisation, *others],
        signed_on=signed_on,
        party_dates=_party_dates(organisation, others, signed_on, others_signed_on),
        effective_on=effective_on,
        expires_on=expires_on,
        follows=renews,
        relation=Agreement.Relation.RENEWS if renews else "",
        signed_city=signed_city,
        signed_country=signed_country,
        signed_at_conference=signed_at_conference,
        summary=summary,
        topics=topics,
        is_public=False,
        proposed_by=proposed_by,
        proposed_for=organisation,
    )
    # Private until staff publish them, as the agreement is.
    add_agreement_documents(
        agreement=agreement, files=documents, kind=document_kind, language=document_language
    )
    _record_answer(
        agreement=agreement,
        organisation=organisation,
        user=proposed_by,
        state=AgreementConfirmation.State.CONFIRMED,
    )
    agreement = (
        Agreement.objects.for_confirmations().select_related("proposed_for").get(pk=agreement.pk)
    )
    unreachable = ask_parties(agreement, others, changed=False)
    tell_staff_of_proposal(agreement, unreachable=unreachable)
    return agreement


@transaction.atomic
def confirm_agreement(
    *, agreement: Agreement, organisation: Organisation, user: AbstractBaseUser
) -> AgreementConfirmation:
    """The party confirms the agreement's record as it stands now."""
    _check_party(agreement, organisation)
    return _record_answer(
        agreement=agreement,
        organisation=organisation,
        user=user,
        state=AgreementConfirmation.State.CONFIRMED,
    )


@transaction.atomic
def ask_correction(
    *, agreement: Agreement, organisation: Organisation, user: AbstractBaseUser, message: str
) -> AgreementConfirmation:
    """The party says what is wrong in the record; the proposing party is told."""
    message = message.strip()
    if not message:
        raise ValidationError(
            {"message": ValidationError(_("Say what should be corrected."), code="required")}
        )
    _check_party(agreement, organisation)
    answer = _record_answer(
        agreement=agreement,
        organisation=organisation,
        user=user,
        state=AgreementConfirmation.State.CORRECTION,
        message=message,
    )
    tell_proposer_of_correction(agreement, organisation=organisation, message=message)
    return answer


# What the proposing party may change while the agreement is not public.
PROPOSER_FIELDS = frozenset(
    {
        "kind",
        "title",
        "signed_on",
        "others_signed_on",
        "effective_on",
        "expires_on",
        "signed_city",
        "signed_at_conference",
        "summary",
    }
)


@transaction.atomic
def update_proposed_agreement(
    *,
    agreement: Agreement,
    user: AbstractBaseUser,
    other_parties: Sequence[Organisation] | None = None,
    topics: Iterable[Topic] | None = None,
    documents: Sequence = (),
    document_kind: str = AgreementDocument.Kind.SIGNED_TEXT,
    document_language: str = "en",
    **changes: object,
) -> Agreement:
    """The proposing party corrects its record while it is not public; it confirms the new
    version by making it, and every other party whose answer no longer matches is asked again."""
    unknown = set(changes) - PROPOSER_FIELDS
    if unknown:
        raise TypeError(f"update_proposed_agreement() cannot change: {', '.join(sorted(unknown))}")
    proposer = agreement.proposed_for
    if agreement.is_public or proposer is None:
        raise ValidationError(
            _("Only an agreement proposed by a member and not yet public can be changed here."),
            code="not_editable",
        )
    conference = changes.get("signed_at_conference", agreement.signed_at_conference)
    if "signed_at_conference" in changes:
        changes["signed_country"] = conference.country.code if conference else ""
        if conference is not None and not changes.get("signed_city"):
            changes["signed_city"] = conference.city
    parties = None
    if other_parties is not None:
        others = [party for party in other_parties if party.pk != proposer.pk]
        if not others or len(others) != len(list(other_parties)):
            raise ValidationError(
                {
                    "other_parties": ValidationError(
                        _("Choose at least one other organisation that signed it."),
                        code="other_parties",
                    )
                }
            )
        parties = [proposer, *others]
    party_dates = None
    if "signed_on" in changes or "others_signed_on" in changes:
        others_signed_on = changes.pop("others_signed_on", None)
        signed_on = changes.get("signed_on", agreement.signed_on)
        others = (
            parties[1:]
            if parties is not None
            else [party.organisation for party in agreement.parties.exclude(organisation=proposer)]
        )
        party_dates = _party_dates(proposer, others, signed_on, others_signed_on)
    before = answered_version(agreement)
    agreement._history_user = user
    update_agreement(
        agreement=agreement,
        parties=parties,
        topics=topics,
        party_dates=party_dates,
        ask_again=False,
        **changes,
    )
    # Added to those it has, private until staff publish them.
    add_agreement_documents(
        agreement=agreement, files=documents, kind=document_kind, language=document_language
    )
    _record_answer(
        agreement=agreement,
        organisation=proposer,
        user=user,
        state=AgreementConfirmation.State.CONFIRMED,
    )
    ask_again_if_changed(agreement, before)
    return agreement
