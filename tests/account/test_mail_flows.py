"""The members' area end to end, its mail sent by a real `db_worker` process to a real SMTP
server (tests/mail_support.py): staff invite a contact, who follows the link from the mail,
makes an account, signs in again with a code from another mail, proposes a change staff
approve; and two parties confirm an agreement, asked again after a change."""

import datetime
import re
from urllib.parse import urlsplit

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from agreements.models import Agreement
from agreements.services import (
    propose_agreement,
    set_agreement_visibility,
    update_proposed_agreement,
)
from members.models import Proposal
from members.services import invite_member
from tests.account.proposal_support import organisation_form
from tests.factories import OrganisationFactory, UserFactory, member_contact
from tests.mail_support import html_of, text_of

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "harbour lights at dusk 42"


def link_in(message, path_start: str) -> str:
    """The path of the first link in the mail that starts with `path_start`."""
    url = re.search(rf"https?://\S+?{re.escape(path_start)}\S*", text_of(message)).group(0)
    return urlsplit(url).path


def test_invited_contact_signs_in_and_a_proposal_is_approved(task_worker, smtp_server):
    reviewer = UserFactory(
        username="reviewer", email="reviewer@association.example", is_staff=True, is_superuser=True
    )
    park = OrganisationFactory(name="Harbour Science Park", description="Labs by the docks.")

    invite_member(email="ines@harbour.example", organisation=park, invited_by=reviewer)

    (invitation,) = smtp_server.wait_for_mail_to("ines@harbour.example")
    assert "Harbour Science Park" in text_of(invitation)
    assert "International Association of Science Parks" in text_of(invitation)
    assert "Harbour Science Park" in html_of(invitation)
    member = Client()
    page = member.get(link_in(invitation, "/account/invitation/"))
    assert page.status_code == 200
    created = member.post(
        page.wsgi_request.path,
        {"name": "Ines Duarte", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert created.status_code == 302 and created.url == reverse("account:home")
    assert "Harbour Science Park" in member.get(created.url).text

    # Signed out, the member signs in again with a code the worker mails.
    member.post(reverse("account_logout"))
    assert member.get(reverse("account:home")).status_code == 302
    asked = member.post(reverse("account_request_login_code"), {"email": "ines@harbour.example"})
    assert asked.status_code == 302
    (_, code_mail) = smtp_server.wait_for_mail_to("ines@harbour.example", count=2)
    code = re.search(r"^\s*([A-Z0-9-]{6,})\s*$", text_of(code_mail), re.M).group(1)
    signed_in = member.post(asked.url, {"code": code})
    assert signed_in.status_code == 302 and signed_in.url == reverse("account:home")

    # The member proposes a new description; the public page keeps the old one.
    edit = reverse("account:organisation-edit", kwargs={"slug": park.slug})
    sent = member.post(edit, organisation_form(park, description="Labs and a marina."))
    assert sent.status_code == 302
    (notice,) = smtp_server.wait_for_mail_to("reviewer@association.example")
    assert "Harbour Science Park" in text_of(notice)
    visitor = Client()
    assert "Labs by the docks." in visitor.get(park.get_absolute_url()).text

    # Staff approve in the review queue; the member is told, the public page changes.
    proposal = Proposal.objects.get(organisation=park)
    staff = Client()
    staff.force_login(reviewer)
    review = reverse("admin:members_proposal_change", args=[proposal.pk])
    assert "Labs and a marina." in staff.get(review).text
    staff.post(review, {"decision": "approve"})
    (_, _, outcome) = smtp_server.wait_for_mail_to("ines@harbour.example", count=3)
    assert "approved" in text_of(outcome).lower()
    assert "Labs and a marina." in visitor.get(park.get_absolute_url()).text
    assert "Labs by the docks." not in visitor.get(park.get_absolute_url()).text


def test_both_parties_confirm_an_agreement_and_a_change_asks_again(task_worker, smtp_server):
    alice = member_contact(
        user=UserFactory(email="alice@alpha.example"),
        organisation=OrganisationFactory(name="Alpha Park"),
    )
    bob = member_contact(
        user=UserFactory(email="bob@beta.example"),
        organisation=OrganisationFactory(name="Beta Park"),
    )
    staff_user = UserFactory(email="staff@association.example", is_staff=True, is_superuser=True)
    agreement = propose_agreement(
        proposed_by=alice.user,
        organisation=alice.organisation,
        other_parties=[bob.organisation],
        kind=Agreement.Kind.MOU,
        title="Alpha and Beta share their labs",
        signed_on=datetime.date(2026, 5, 4),
        signed_city="Lisbon",
    )

    # Bob is asked by mail, follows the link and confirms.
    (request,) = smtp_server.wait_for_mail_to("bob@beta.example", count=2)[1:]
    assert "Alpha and Beta share their labs" in text_of(request)
    page = link_in(request, "/account/agreements/")
    b = Client()
    b.force_login(bob.user)
    assert "Alpha Park" in b.get(page).text
    b.post(page, {"action": "confirm", "organisation": bob.organisation.slug})
    assert "Confirmed" in b.get(page).text

    # Alice corrects the signing city: Bob's confirmation was for the old version.
    update_proposed_agreement(agreement=agreement, user=alice.user, signed_city="Porto")
    (again,) = smtp_server.wait_for_mail_to("bob@beta.example", count=3)[2:]
    assert "Alpha and Beta share their labs" in text_of(again)
    assert "changed" in text_of(again).lower()
    with pytest.raises(ValidationError):  # Beta has not confirmed this version
        set_agreement_visibility(agreements=[agreement], public=True, changed_by=staff_user)

    b.post(page, {"action": "confirm", "organisation": bob.organisation.slug})
    set_agreement_visibility(agreements=[agreement], public=True, changed_by=staff_user)
    public = Client().get(agreement.get_absolute_url()).text
    assert "Confirmed by Alpha Park" in public
    assert "Confirmed by Beta Park" in public
    assert smtp_server.wait_for_mail_to("staff@association.example")
