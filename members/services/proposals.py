"""Changes members propose to their organisation's profile or to their own bio and photo:
kept apart from the record until staff approve them, then applied through the record's own
services (records.py), so that the record's rules and history are the same as for any edit."""

import copy
import decimal
from collections.abc import Iterable
from pathlib import PurePath

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.accounts import users_with_permission
from core.mail import absolute, send_templated_mail
from core.validators import is_stored, validate_image_upload

from ..models import Organisation, Person, Proposal, Topic
from .privacy import anonymise_person
from .records import update_organisation, update_person

# What a member may change, besides the topics and the logo (or a person's photo).
ORGANISATION_PROPOSAL_FIELDS = (
    "description",
    "website",
    "city",
    "latitude",
    "longitude",
    "contact_email",
)
PERSON_PROPOSAL_FIELDS = ("bio",)
# The key under which `changes` marks a new image, by subject.
IMAGE_FIELD = {"organisation": "logo", "person": "photo"}
REVIEW_PERMISSION = "members.change_proposal"
CHANGE_REASON_LENGTH = 100  # django-simple-history's column


def json_value(record: models.Model, name: str) -> object:
    """A field's value as `changes` and `original` keep it: text, a decimal as text, or None."""
    value = getattr(record, name)
    if isinstance(value, decimal.Decimal):
        places = record._meta.get_field(name).decimal_places
        return str(value.quantize(decimal.Decimal(1).scaleb(-places)))
    return value


def differs(proposed: object, current: object) -> bool:
    """Whether a proposed value changes the record. Browsers send a text area's line breaks as
    CRLF and forms strip the ends: text that differs only so is the same text."""
    if isinstance(proposed, str) and isinstance(current, str):
        return proposed.replace("\r\n", "\n").strip() != current.replace("\r\n", "\n").strip()
    return proposed != current


def topic_slugs(topics: Iterable[Topic | str]) -> list[str]:
    return sorted({topic if isinstance(topic, str) else topic.slug for topic in topics})


def checked_copy(record: models.Model, values: dict, fields: Iterable[str]) -> models.Model:
    """A copy of the record with the values set and checked as the model checks them (its
    fields' validators, its constraints on those fields); errors are raised by field name."""
    fields = set(fields)
    unknown = set(values) - fields
    if unknown:
        raise TypeError(f"{type(record).__name__}: cannot propose {', '.join(sorted(unknown))}")
    candidate = copy.copy(record)
    for name, value in values.items():
        setattr(candidate, name, value)
    others = [field.name for field in record._meta.concrete_fields if field.name not in fields]
    candidate.full_clean(exclude=others, validate_unique=False)
    return candidate


def check_image(image, field: str) -> None:
    if image is None or is_stored(image):
        return
    try:
        validate_image_upload(image)
    except ValidationError as error:
        raise ValidationError({field: error.error_list}) from None


def reviewers() -> models.QuerySet:
    """Active accounts with an address that may decide proposals: superusers, and users given
    the permission (the Editors group)."""
    return users_with_permission(REVIEW_PERMISSION)


def url_or_site(name: str, *args: object) -> str:
    try:
        return absolute(reverse(name, args=args))
    except NoReverseMatch:
        return absolute("/")


def who(user) -> str:
    if user is None:
        return _("an unknown account")
    return user.get_full_name() or user.email or user.get_username()


def _store(
    *,
    subject_field: str,
    subject: Organisation | Person,
    proposed_by,
    changes: dict,
    original: dict,
    image,
    message: str,
) -> Proposal:
    image_field = IMAGE_FIELD[subject_field]
    if image is not None:
        changes[image_field] = True
        original[image_field] = getattr(subject, image_field).name or ""
    if not changes:
        raise ValidationError(
            {NON_FIELD_ERRORS: _("Nothing would change: the values are those of the profile.")},
            code="no_change",
        )
    # A later proposal replaces an earlier one still waiting: the form showed its values.
    earlier = Proposal.objects.pending().filter(
        kind=Proposal.Kind.CHANGE, **{subject_field: subject}
    )
    for replaced in earlier.select_for_update():
        replaced.status = Proposal.Status.WITHDRAWN
        replaced.review_message = _("Replaced by a later proposal.")
        replaced.save(update_fields=["status", "review_message", "modified"])
    proposal = Proposal(
        kind=Proposal.Kind.CHANGE,
        proposed_by=proposed_by,
        changes=changes,
        original={name: original[name] for name in changes},
        message=message.strip(),
        **{subject_field: subject},
    )
    if image is not None:
        if is_stored(image):  # the image of a proposal this one replaces
            with image.open("rb") as stored:
                content = ContentFile(stored.read(), name=PurePath(image.name).name)
        else:
            content = image
        proposal.image.save(PurePath(content.name or "image").name, content, save=False)
    proposal.full_clean()
    proposal.save()
    send_templated_mail(
        "email/proposals/new",
        to=reviewers().values_list("email", flat=True),
        context={
            "proposal": proposal,
            "subject_name": str(subject),
            "proposer": who(proposed_by),
            "fields": [str(subject._meta.get_field(name).verbose_name) for name in changes],
            "review_url": url_or_site("admin:members_proposal_change", proposal.pk),
        },
    )
    return proposal


@transaction.atomic
def propose_organisation_change(
    *,
    organisation: Organisation,
    proposed_by,
    changes: dict,
    topics: Iterable[Topic | str] | None = None,
    logo=None,
    message: str = "",
) -> Proposal:
    """Ask staff to change an organisation's public profile.

    `changes` holds any of ORGANISATION_PROPOSAL_FIELDS; only the values that differ from the
    record are kept. `logo` is a new upload (or the stored image of a proposal this one
    replaces)."""
    check_image(logo, "logo")
    candidate = checked_copy(organisation, changes, ORGANISATION_PROPOSAL_FIELDS)
    proposed = {
        name: json_value(candidate, name)
        for name in changes
        if differs(json_value(candidate, name), json_value(organisation, name))
    }
    original = {name: json_value(organisation, name) for name in ORGANISATION_PROPOSAL_FIELDS}
    if topics is not None:
        current = topic_slugs(organisation.topics.all())
        wanted = topic_slugs(topics)
        unknown = set(wanted) - set(
            Topic.objects.filter(slug__in=wanted).values_list("slug", flat=True)
        )
        if unknown:
            raise ValidationError({"topics": _("Choose topics from the list.")}, code="invalid")
        original["topics"] = current
        if wanted != current:
            proposed["topics"] = wanted
    return _store(
        subject_field="organisation",
        subject=organisation,
        proposed_by=proposed_by,
        changes=proposed,
        original=original,
        image=logo,
        message=message,
    )


@transaction.atomic
def propose_person_change(
    *,
    person: Person,
    proposed_by,
    bio: str | None = None,
    photo=None,
    message: str = "",
) -> Proposal:
    """Ask staff to change a person's own bio or photo; None leaves it as it is."""
    check_image(photo, "photo")
    values = {} if bio is None else {"bio": bio}
    candidate = checked_copy(person, values, PERSON_PROPOSAL_FIELDS)
    proposed = {
        name: json_value(candidate, name)
        for name in values
        if differs(json_value(candidate, name), json_value(person, name))
    }
    return _store(
        subject_field="person",
        subject=person,
        proposed_by=proposed_by,
        changes=proposed,
        original={name: json_value(person, name) for name in PERSON_PROPOSAL_FIELDS},
        image=photo,
        message=message,
    )


def _pending(proposal: Proposal) -> Proposal:
    """The proposal as the database has it now, locked; refused unless still pending."""
    current = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if current.status != Proposal.Status.PENDING:
        raise ValidationError(
            _("This proposal was already %(state)s.")
            % {"state": current.get_status_display().lower()},
            code="decided",
        )
    return current


def _check_reviewer(reviewer) -> None:
    if not (reviewer.is_active and reviewer.has_perm(REVIEW_PERMISSION)):
        raise PermissionDenied


def change_reason(proposal: Proposal, reviewer) -> str:
    reason = _("Proposed by %(proposer)s, approved by %(reviewer)s") % {
        "proposer": who(proposal.proposed_by),
        "reviewer": who(reviewer),
    }
    return reason[:CHANGE_REASON_LENGTH]


def _copy_image(proposal: Proposal, record: models.Model, field: str) -> None:
    """Save the proposal's private image into the record's public image field."""
    try:
        with proposal.image.open("rb") as stored:
            content = ContentFile(stored.read())
    except FileNotFoundError:
        raise ValidationError(
            _("The proposed image is missing from storage; decline the proposal."),
            code="image_missing",
        ) from None
    getattr(record, field).save(PurePath(proposal.image.name).name, content, save=False)


@transaction.atomic
def approve_proposal(*, proposal: Proposal, reviewer) -> Proposal:
    """Apply the proposed values to the record, in one history entry naming who proposed and
    who approved. The record may have changed since: the review page warns, staff decide."""
    _check_reviewer(reviewer)
    proposal = _pending(proposal)
    if proposal.kind == Proposal.Kind.REMOVAL:
        # Marks the request approved and deletes the account: nobody is left to tell.
        anonymise_person(person=proposal.person, approved_by=reviewer, proposal=proposal)
        proposal.refresh_from_db()
        return proposal
    _apply(proposal, reviewer)
    proposal.status = Proposal.Status.APPROVED
    proposal.reviewed_by = reviewer
    proposal.reviewed_at = timezone.now()
    proposal.save(update_fields=["status", "reviewed_by", "reviewed_at", "modified"])
    _tell_proposer(proposal, "approved")
    return proposal


def _apply(proposal: Proposal, reviewer) -> None:
    changes = dict(proposal.changes)
    if proposal.organisation_id:
        record = Organisation.objects.select_for_update().get(pk=proposal.organisation_id)
        image_field = "logo"
        fields = ORGANISATION_PROPOSAL_FIELDS
    else:
        record = Person.objects.select_for_update().get(pk=proposal.person_id)
        image_field = "photo"
        fields = PERSON_PROPOSAL_FIELDS
    if changes.pop(image_field, False) and proposal.image:
        _copy_image(proposal, record, image_field)
    values = {name: value for name, value in changes.items() if name in fields}
    record._change_reason = change_reason(proposal, reviewer)
    record._history_user = reviewer
    if proposal.organisation_id:
        topics = None
        if "topics" in changes:
            topics = list(Topic.objects.filter(slug__in=changes["topics"]))
        update_organisation(organisation=record, topics=topics, **values)
    else:
        update_person(person=record, **values)


@transaction.atomic
def reject_proposal(*, proposal: Proposal, reviewer, message: str) -> Proposal:
    """Decline the proposal; the message tells the member why."""
    _check_reviewer(reviewer)
    message = (message or "").strip()
    if not message:
        raise ValidationError(
            {"review_message": _("Tell the member why the proposal is declined.")},
            code="required",
        )
    proposal = _pending(proposal)
    proposal.status = Proposal.Status.REJECTED
    proposal.reviewed_by = reviewer
    proposal.reviewed_at = timezone.now()
    proposal.review_message = message
    proposal.save(
        update_fields=["status", "reviewed_by", "reviewed_at", "review_message", "modified"]
    )
    _tell_proposer(proposal, "rejected")
    return proposal


@transaction.atomic
def withdraw_proposal(*, proposal: Proposal, user) -> Proposal:
    """The proposer takes back a proposal staff have not decided yet."""
    if proposal.proposed_by_id is None or proposal.proposed_by_id != user.pk:
        raise PermissionDenied
    proposal = _pending(proposal)
    proposal.status = Proposal.Status.WITHDRAWN
    proposal.save(update_fields=["status", "modified"])
    return proposal


def _tell_proposer(proposal: Proposal, outcome: str) -> None:
    proposer = proposal.proposed_by
    if proposer is None or not proposer.email:
        return
    send_templated_mail(
        f"email/proposals/{outcome}",
        to=[proposer.email],
        context={
            "proposal": proposal,
            "subject_name": str(proposal.subject),
            "review_message": proposal.review_message,
            "proposal_url": url_or_site("account:proposal-detail", proposal.pk),
        },
    )
