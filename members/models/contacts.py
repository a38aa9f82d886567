"""Member contacts: the people who keep an organisation's profile in the members' area, the
invitations that make them contacts, and the changes they propose for staff to approve."""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from model_utils.models import TimeStampedModel
from simple_history.models import HistoricalRecords

from core.db.uploads import image_upload_name
from core.storage import private_storage
from core.validators import validate_image_upload, validate_single_line

from .organisations import Organisation
from .people import Person


class ContactQuerySet(models.QuerySet):
    def of_user(self, user) -> "ContactQuerySet":
        """The contacts a signed-in user holds: none for an inactive or anonymous user."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        return self.filter(user=user)


class Contact(TimeStampedModel):
    """A user who speaks for an organisation in the members' area. Staff add and remove
    contacts; removing one ends its access at the next request."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="contacts",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="member_contacts",
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ContactQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation__name", "pk"]
        verbose_name = _("member contact")
        verbose_name_plural = _("member contacts")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"],
                name="contact_once_per_organisation",
                violation_error_message=_("This account is already a contact of the organisation."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user.email or self.user} — {self.organisation}"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationQuerySet(models.QuerySet):
    def usable(self) -> "InvitationQuerySet":
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )

    def by_token(self, token: str) -> "InvitationQuerySet":
        return self.filter(token_hash=hash_token(token))


class Invitation(TimeStampedModel):
    """An e-mailed invitation to become a contact of an organisation, or to take charge of a
    person's own record, or both. Only the token's hash is stored; it works once, until it
    expires or staff revoke it."""

    email = models.EmailField(_("e-mail"))
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("contact of"),
        on_delete=models.CASCADE,
        related_name="invitations",
        null=True,
        blank=True,
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("person record"),
        on_delete=models.CASCADE,
        related_name="invitations",
        null=True,
        blank=True,
        help_text=_("Link the account to this person, who then keeps their own profile."),
    )
    token_hash = models.CharField(
        max_length=64, unique=True, editable=False, validators=[validate_single_line]
    )
    expires_at = models.DateTimeField(_("expires at"))
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()
    # Who sent, resent, revoked; never a token's hash, which only the live row needs.
    history = HistoricalRecords(excluded_fields=["token_hash"])

    class Meta:
        ordering = ["-created", "pk"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=False) | Q(person__isnull=False),
                name="invitation_has_purpose",
                violation_error_message=_(
                    "Invite to an organisation, to a person record, or both."
                ),
            )
        ]

    def __str__(self) -> str:
        return self.email

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(32)

    @property
    def state(self) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "open"


def proposal_image_path(instance: models.Model, filename: str) -> str:
    return image_upload_name("proposals", instance, filename, field="image")


class ProposalQuerySet(models.QuerySet):
    def pending(self) -> "ProposalQuerySet":
        return self.filter(status=Proposal.Status.PENDING)


class Proposal(TimeStampedModel):
    """A change a member asks for, kept apart from the record until staff approve it: to an
    organisation's profile, to a person's own bio and photo, or a person's request to be
    removed."""

    class Kind(models.TextChoices):
        CHANGE = "change", _("Change")
        REMOVAL = "removal", _("Removal")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.CHANGE)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="proposals",
        null=True,
        blank=True,
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="proposals",
        null=True,
        blank=True,
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="proposals",
    )
    # The proposed values by field name ("topics": a list of topic slugs), and the record's
    # values when the proposal was made, for the side-by-side review.
    changes = models.JSONField(_("proposed values"), default=dict, blank=True)
    original = models.JSONField(_("values when proposed"), default=dict, blank=True)
    image = models.ImageField(
        _("proposed image"),
        upload_to=proposal_image_path,
        storage=private_storage,
        blank=True,
        validators=[validate_image_upload],
        help_text=_("A new logo or photo; kept private until approved."),
    )
    message = models.TextField(_("note to staff"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_message = models.TextField(_("message to the member"), blank=True)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "pk"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        constraints = [
            models.CheckConstraint(
                condition=(Q(organisation__isnull=False) & Q(person__isnull=True))
                | (Q(organisation__isnull=True) & Q(person__isnull=False)),
                name="proposal_one_subject",
                violation_error_message=_("A proposal is about one organisation or one person."),
            ),
            models.CheckConstraint(
                condition=~Q(kind="removal") | Q(person__isnull=False),
                name="proposal_removal_of_person",
                violation_error_message=_("Only a person can ask to be removed."),
            ),
            models.CheckConstraint(
                condition=Q(status="pending")
                | Q(reviewed_at__isnull=False)
                | Q(status="withdrawn"),
                name="proposal_reviewed_when_decided",
            ),
        ]
        indexes = [models.Index(fields=["status", "created"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.subject}"

    @property
    def subject(self) -> Organisation | Person | None:
        return self.organisation or self.person
