"""Who may use the members' area: invitations staff send, accepted once, and the contacts they
make. Only a token's hash is kept; the token itself travels in the e-mail alone."""

import datetime

from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.mail import absolute, send_templated_mail

from ..models import Contact, Invitation, Organisation, Person
from ..models.contacts import hash_token


def invitation_path(token: str) -> str:
    return reverse("account:invitation", kwargs={"token": token})


def _send_invitation(invitation: Invitation, token: str) -> None:
    inviter = invitation.invited_by
    send_templated_mail(
        "email/members/invitation",
        to=[invitation.email],
        context={
            "invitation": invitation,
            "organisation": invitation.organisation,
            "person": invitation.person,
            "invited_by": (inviter.get_full_name() or inviter.get_username())
            if inviter
            else _("A member of staff"),
            "expires_at": invitation.expires_at,
            "link": absolute(invitation_path(token)),
        },
    )


def _issue(invitation: Invitation) -> str:
    token = Invitation.new_token()
    invitation.token_hash = hash_token(token)
    invitation.expires_at = timezone.now() + datetime.timedelta(
        days=settings.MEMBER_INVITATION_DAYS
    )
    return token


@transaction.atomic
def invite_member(
    *,
    email: str,
    organisation: Organisation | None = None,
    person: Person | None = None,
    invited_by=None,
) -> tuple[Invitation, str]:
    """Invite `email` to speak for `organisation`, to keep `person`'s own record, or both.

    An open invitation of the same address for the same purpose is revoked: only the newest
    link works. Returns the invitation and its token (for the mail; it is not stored).
    """
    email = (email or "").strip()
    invitation = Invitation(
        email=email, organisation=organisation, person=person, invited_by=invited_by
    )
    invitation._history_user = invited_by
    token = _issue(invitation)
    invitation.full_clean()
    earlier = Invitation.objects.usable().filter(
        email__iexact=email, organisation=organisation, person=person
    )
    for open_invitation in earlier.select_for_update():
        revoke_invitation(invitation=open_invitation, revoked_by=invited_by)
    invitation.save()
    _send_invitation(invitation, token)
    return invitation, token


@transaction.atomic
def resend_invitation(*, invitation: Invitation, resent_by=None) -> tuple[Invitation, str]:
    """A new link (and a new expiry) for an invitation not yet accepted; the old link dies."""
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("invited_by")
        .get(pk=invitation.pk)
    )
    invitation._history_user = resent_by
    if invitation.accepted_at:
        raise ValidationError(_("This invitation has already been accepted."), code="used")
    others = Invitation.objects.usable().filter(
        email__iexact=invitation.email,
        organisation=invitation.organisation_id,
        person=invitation.person_id,
    )
    for other in others.exclude(pk=invitation.pk).select_for_update():
        revoke_invitation(invitation=other, revoked_by=resent_by)
    token = _issue(invitation)
    invitation.revoked_at = None
    invitation.save(update_fields=["token_hash", "expires_at", "revoked_at", "modified"])
    _send_invitation(invitation, token)
    return invitation, token


@transaction.atomic
def revoke_invitation(*, invitation: Invitation, revoked_by=None) -> Invitation:
    """The link stops working at once. An accepted invitation stays as it is: its contact is
    removed on its own (`remove_contact`)."""
    if invitation.accepted_at is None and invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation._history_user = revoked_by
        invitation.save(update_fields=["revoked_at", "modified"])
    return invitation


def invitation_refusal(invitation: Invitation) -> ValidationError | None:
    """Why the invitation can no longer be accepted, or None."""
    state = invitation.state
    if state == "accepted":
        return ValidationError(_("This invitation has already been used."), code="used")
    if state == "revoked":
        return ValidationError(_("This invitation has been withdrawn."), code="revoked")
    if state == "expired":
        return ValidationError(_("This invitation has expired."), code="expired")
    return None


@transaction.atomic
def accept_invitation(*, invitation: Invitation, user) -> Invitation:
    """Make `user` a contact of the invitation's organisation and link them to its person.

    Refuses an invitation used, expired or revoked, and a person already linked to another
    account. The invitation is locked while it is accepted: two clicks make one contact.
    """
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("organisation", "person", "invited_by")
        .get(pk=invitation.pk)
    )
    if refusal := invitation_refusal(invitation):
        raise refusal
    person = invitation.person
    if person is not None:
        if person.removed_at is not None:
            raise ValidationError(_("This person's record has been removed."), code="removed")
        if person.user_id not in (None, user.pk):
            raise ValidationError(
                _("This person's record is already linked to another account."),
                code="person_taken",
            )
        linked = Person.objects.filter(user=user).exclude(pk=person.pk).first()
        if linked is not None:
            raise ValidationError(
                _("Your account is already linked to another person's record."),
                code="user_taken",
            )
    if invitation.organisation is not None:
        contact = Contact.objects.filter(organisation=invitation.organisation, user=user).first()
        if contact is None:
            contact = Contact(
                organisation=invitation.organisation,
                user=user,
                invited_by=invitation.invited_by,
            )
            contact._history_user = invitation.invited_by or user
            contact.save()
    if person is not None and person.user_id is None:
        person.user = user
        person._history_user = user
        person.save(update_fields=["user", "modified"])
    _verify_invited_address(user, invitation.email)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation._history_user = user
    invitation.save(update_fields=["accepted_at", "accepted_by", "modified"])
    return invitation


def _verify_invited_address(user, email: str) -> None:
    """The invitation's link reached its address: the account's same address is verified."""
    if not user.email or user.email.lower() != email.lower():
        return
    address = EmailAddress.objects.filter(user=user, email__iexact=email).first()
    if address is None:
        has_primary = EmailAddress.objects.filter(user=user, primary=True).exists()
        EmailAddress.objects.create(
            user=user, email=user.email, verified=True, primary=not has_primary
        )
    elif not address.verified:
        address.verified = True
        address.save(update_fields=["verified"])


@transaction.atomic
def remove_contact(*, contact: Contact, removed_by=None) -> None:
    """The account stops speaking for the organisation at its next request."""
    contact._history_user = removed_by
    contact.delete()


def account_exists(email: str) -> bool:
    """Whether some account already holds the address (as its own or as an added one)."""
    return (
        get_user_model().objects.filter(email__iexact=email).exists()
        or EmailAddress.objects.filter(email__iexact=email).exists()
    )


@transaction.atomic
def create_member_account(*, email: str, name: str, password: str):
    """An account for an invited address, which the invitation's link has just proved: the
    address is verified and primary. The caller has validated the password."""
    if account_exists(email):
        raise ValidationError(_("An account already exists for this address."), code="exists")
    first_name, _space, last_name = " ".join(name.split()).partition(" ")
    user = get_user_model()(
        email=email, first_name=first_name[:150], last_name=last_name[:150], is_staff=False
    )
    user.username = get_adapter().generate_unique_username([first_name, last_name, email])
    user.set_password(password)
    user.save()
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user
