"""What the admin tests share: inline POST data, admin URLs, and each model's admin page."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Model
from django.urls import reverse

from tests.factories import (
    AgreementPartyFactory,
    AppearanceFactory,
    AwardFactory,
    ConferenceFactory,
    ConferenceHostFactory,
    DecisionFactory,
    DivisionFactory,
    MembershipFactory,
    OfficeFactory,
    PageFactory,
    QuoteFactory,
    SessionFactory,
    TopicFactory,
    api_token,
    bilateral_agreement,
    member_contact,
    member_invitation,
    member_proposal,
    organisation_with_logo,
    person_with_photo,
    webhook_delivery,
    webhook_subscription,
)


def inline_rows(prefix: str, rows: list[dict], initial: int = 0, min_num: int = 0) -> dict:
    """POST data of an admin inline: its management form and its rows."""
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": str(min_num),
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        data.update({f"{prefix}-{index}-{name}": value for name, value in row.items()})
    return data


def admin_url(app_label: str, model_name: str, view: str, *args) -> str:
    return reverse(f"admin:{app_label}_{model_name}_{view}", args=args)


@dataclass(frozen=True)
class AdminPage:
    """One model's admin, as its tests see it."""

    make: Callable[[], Model]  # one object of the model
    shown: Callable[[Model], str]  # the text a user sees for it in the list and the form
    changelist_queries: int  # queries of the changelist, whatever the number of rows
    change_form_queries: int  # queries of the change form, whatever the number of rows
    addable: bool = True  # False: records made elsewhere (a contact, by an invitation)
    deletable: bool = True  # False: kept for the record (a proposal and its decision)


ADMIN_PAGES: dict[tuple[str, str], AdminPage] = {
    ("members", "topic"): AdminPage(TopicFactory, lambda topic: topic.name, 5, 4),
    ("members", "division"): AdminPage(DivisionFactory, lambda division: division.name, 5, 4),
    ("members", "organisation"): AdminPage(
        organisation_with_logo, lambda organisation: organisation.name, 7, 7
    ),
    ("members", "membership"): AdminPage(
        MembershipFactory, lambda membership: membership.organisation.name, 8, 6
    ),
    ("members", "person"): AdminPage(person_with_photo, lambda person: person.name, 7, 7),
    ("members", "office"): AdminPage(OfficeFactory, lambda office: office.person.name, 8, 8),
    ("conferences", "conference"): AdminPage(
        ConferenceFactory, lambda conference: conference.title, 9, 13
    ),
    ("conferences", "conferencehost"): AdminPage(
        ConferenceHostFactory, lambda host: host.organisation.name, 7, 7
    ),
    ("conferences", "session"): AdminPage(SessionFactory, lambda session: session.title, 8, 8),
    ("conferences", "appearance"): AdminPage(
        AppearanceFactory, lambda appearance: appearance.person.name, 7, 7
    ),
    ("conferences", "decision"): AdminPage(
        DecisionFactory, lambda decision: decision.host_city, 8, 5
    ),
    ("conferences", "award"): AdminPage(AwardFactory, lambda award: award.name, 8, 5),
    ("conferences", "quote"): AdminPage(QuoteFactory, lambda quote: quote.text, 7, 7),
    ("agreements", "agreement"): AdminPage(
        bilateral_agreement, lambda agreement: agreement.title, 8, 12
    ),
    ("agreements", "agreementparty"): AdminPage(
        AgreementPartyFactory, lambda party: party.organisation.name, 7, 7
    ),
    ("members", "invitation"): AdminPage(
        member_invitation, lambda invitation: invitation.email, 7, 5
    ),
    ("members", "contact"): AdminPage(
        member_contact, lambda contact: contact.user.email, 5, 6, addable=False
    ),
    ("members", "proposal"): AdminPage(
        member_proposal,
        lambda proposal: proposal.organisation.name,
        5,
        4,
        addable=False,
        deletable=False,
    ),
    ("portal", "apitoken"): AdminPage(api_token, lambda token: token.name, 5, 5),
    ("portal", "page"): AdminPage(PageFactory, lambda page: page.title, 5, 4),
    ("portal", "webhooksubscription"): AdminPage(
        webhook_subscription, lambda subscription: subscription.description, 5, 6
    ),
    ("portal", "webhookdelivery"): AdminPage(
        webhook_delivery,
        lambda delivery: delivery.subscription.description,
        7,
        5,
        addable=False,
        deletable=False,
    ),
}
