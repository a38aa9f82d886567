"""The mail about parties' confirmations, and the one rule every write to an agreement
follows: when what the parties confirmed changes, each whose answer no longer matches is asked
again (`ask_again_if_changed`, called by every write once its parties and topics are saved)."""

from collections import defaultdict
from collections.abc import Iterable

from django.urls import reverse

from core.accounts import users_with_permission
from core.mail import absolute, send_templated_mail
from members.models import Contact, Organisation

from ..confirmations import fingerprint
from ..models import Agreement, AgreementConfirmation

STAFF_PERMISSION = "agreements.change_agreement"


def contact_addresses(organisations: Iterable[Organisation]) -> dict[int, list[str]]:
    """The e-mail addresses of each organisation's active contacts, by organisation id."""
    addresses: dict[int, list[str]] = defaultdict(list)
    rows = (
        Contact.objects.filter(organisation__in=list(organisations), user__is_active=True)
        .exclude(user__email="")
        .values_list("organisation_id", "user__email")
    )
    for organisation_id, email in rows:
        addresses[organisation_id].append(email)
    return addresses


def staff_addresses() -> list[str]:
    return list(users_with_permission(STAFF_PERMISSION).values_list("email", flat=True))


def area_url(agreement: Agreement) -> str:
    return absolute(reverse("account:agreement-detail", kwargs={"slug": agreement.slug}))


def admin_url(agreement: Agreement) -> str:
    return absolute(reverse("admin:agreements_agreement_change", args=[agreement.pk]))


def ask_parties(
    agreement: Agreement, organisations: Iterable[Organisation], *, changed: bool
) -> list[Organisation]:
    """Mail the contacts of each organisation to confirm the agreement; those without any
    contact, returned."""
    organisations = list(organisations)
    addresses = contact_addresses(organisations)
    unreachable = []
    for organisation in organisations:
        if not addresses.get(organisation.pk):
            unreachable.append(organisation)
            continue
        send_templated_mail(
            "email/agreements/confirmation_request",
            to=addresses[organisation.pk],
            context={
                "agreement": agreement,
                "organisation": organisation,
                "proposer": agreement.proposed_for,
                "changed": changed,
                "url": area_url(agreement),
            },
        )
    return unreachable


def tell_staff_of_proposal(agreement: Agreement, *, unreachable: list[Organisation]) -> None:
    send_templated_mail(
        "email/agreements/proposed",
        to=staff_addresses(),
        context={
            "agreement": agreement,
            "proposer": agreement.proposed_for,
            "parties": [party.organisation for party in agreement.parties.all()],
            "unreachable": unreachable,
            "url": admin_url(agreement),
        },
    )


def tell_proposer_of_correction(
    agreement: Agreement, *, organisation: Organisation, message: str
) -> None:
    proposer = agreement.proposed_for
    if proposer is None:
        return
    send_templated_mail(
        "email/agreements/correction",
        to=contact_addresses([proposer]).get(proposer.pk, []) + staff_addresses(),
        context={
            "agreement": agreement,
            "organisation": organisation,
            "message": message,
            "url": area_url(agreement),
        },
    )


def answered_version(agreement: Agreement) -> str | None:
    """The fingerprint of the agreement as stored, when a party has answered it (else None:
    nobody is to be asked again). Read before a write, for `ask_again_if_changed`."""
    if (
        agreement.pk is None
        or not AgreementConfirmation.objects.filter(agreement=agreement).exists()
    ):
        return None
    return fingerprint(Agreement.objects.for_confirmations().get(pk=agreement.pk))


def ask_again_if_changed(agreement: Agreement, before: str | None) -> list[Organisation]:
    """After a write: when what the parties confirm has changed, ask each party whose answer
    was about another version, or who has not answered (a party just added, too). The parties
    asked, returned."""
    if before is None:
        return []
    stored = (
        Agreement.objects.for_confirmations().select_related("proposed_for").get(pk=agreement.pk)
    )
    now = fingerprint(stored)
    if now == before:
        return []
    parties = [party for party in stored.parties.all() if party.answer_fingerprint != now]
    answered = [party.organisation for party in parties if party.answer_state]
    unanswered = [party.organisation for party in parties if not party.answer_state]
    if answered:
        ask_parties(stored, answered, changed=True)
    if unanswered:
        ask_parties(stored, unanswered, changed=False)
    return answered + unanswered
