"""A person's say over their public presence: consent to a full profile, the request to be
removed, and the removal itself (the record stays for the roles it held; the person is gone
from it and from its history)."""

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.accounts import users_with_permission
from core.db.uploads import RENDITIONS_FOLDER, is_referenced
from core.mail import absolute, send_templated_mail

from ..models import Invitation, Person, Proposal

REMOVED_NAME = "Removed person"
CONSENT_NOTE_IN_AREA = "Given by the person in the members' area"
# simple_history keeps change reasons in 100 characters.
REASON_LENGTH = 100

# What a removal blanks: the person's own words and ways to reach or recognise them.
BLANKED_FIELDS = {
    "honorific": "",
    "job_title": "",
    "bio": "",
    "email": "",
    "website": "",
    "country": "",
    "photo": "",
    "photo_width": None,
    "photo_height": None,
    "affiliation": None,
    "display_consent": False,
    "consent_recorded_on": None,
    "consent_note": "",
}


def _reason(text: str) -> str:
    return text[:REASON_LENGTH]


@transaction.atomic
def record_consent(*, person: Person, given: bool, note: str = "", recorded_by=None) -> Person:
    """Show (or stop showing) the photo, biography and website staff approved, from now on."""
    if person.removed_at is not None:
        raise ValidationError(_("This person's record has been removed."))
    person.display_consent = given
    person.consent_recorded_on = timezone.localdate()
    person.consent_note = " ".join(note.split())[:300]
    person.full_clean(exclude=["photo"])
    person._change_reason = _reason("Consent given" if given else "Consent withdrawn")
    if recorded_by is not None and getattr(recorded_by, "pk", None):
        person._history_user = recorded_by
    person.save()
    return person


def staff_reviewers() -> models.QuerySet:
    """Active accounts with an e-mail address that may review proposals."""
    return users_with_permission("members.change_proposal")


@transaction.atomic
def request_removal(*, person: Person, requested_by, message: str = "") -> Proposal:
    """The person asks to be removed: one pending request at a time, and staff are told."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.removed_at is not None:
        raise ValidationError(_("This person's record has been removed."))
    if Proposal.objects.pending().filter(person=person, kind=Proposal.Kind.REMOVAL).exists():
        raise ValidationError(_("Your request to be removed is already waiting for review."))
    proposal = Proposal(
        kind=Proposal.Kind.REMOVAL,
        person=person,
        proposed_by=requested_by,
        message=message.strip(),
    )
    proposal.full_clean()
    proposal.save()
    send_templated_mail(
        "email/privacy/removal_request",
        to=[user.email for user in staff_reviewers()],
        context={
            "person": person,
            "proposal": proposal,
            "review_url": absolute(reverse("admin:members_person_change", args=[person.pk])),
        },
    )
    return proposal


def _forget_file(storage, name: str) -> None:
    """Delete a stored image and its resized copies, unless a record still points to it."""
    if not name or is_referenced(name):
        return
    storage.delete(name)
    try:
        boxes, _files = storage.listdir(RENDITIONS_FOLDER)
    except (FileNotFoundError, NotImplementedError):
        return
    for box in boxes:
        storage.delete(f"{RENDITIONS_FOLDER}/{box}/{name}")


def _historical_models() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_models()
        if any(field.name == "history_change_reason" for field in model._meta.fields)
    ]


def _scrub_change_reasons(name: str) -> None:
    """Change reasons anywhere that quote the person's name lose it."""
    if not name.strip():
        return
    for model in _historical_models():
        for entry in model.objects.filter(history_change_reason__icontains=name):
            reason = entry.history_change_reason
            start = reason.lower().find(name.lower())
            while start >= 0:
                reason = reason[:start] + REMOVED_NAME + reason[start + len(name) :]
                start = reason.lower().find(name.lower(), start + len(REMOVED_NAME))
            model.objects.filter(pk=entry.pk).update(history_change_reason=reason[:100])


@transaction.atomic
def anonymise_person(*, person: Person, approved_by, proposal: Proposal | None = None) -> Person:
    """Remove the person from their record and its history. The roles they held stay
    (appearances, offices, signatures), under "Removed person"; their account goes."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.removed_at is not None:
        raise ValidationError(_("This person's record has been removed already."))
    if proposal is not None and (
        proposal.person_id != person.pk or proposal.kind != Proposal.Kind.REMOVAL
    ):
        raise ValidationError(_("This proposal is not this person's request to be removed."))
    old_names = {person.name}
    storage = person.photo.storage
    photos = {person.photo.name} if person.photo else set()
    history = Person.history.filter(id=person.pk)
    for entry in history.only("name", "photo"):
        old_names.add(entry.name)
        if entry.photo:
            photos.add(str(entry.photo))

    removed_slug = f"removed-{person.pk}"
    history.update(
        name=REMOVED_NAME,
        slug=removed_slug,
        user=None,
        history_change_reason=None,
        **BLANKED_FIELDS,
    )
    for name in sorted(old_names - {REMOVED_NAME}, key=len, reverse=True):
        _scrub_change_reasons(name)

    account = person.user
    for field, value in BLANKED_FIELDS.items():
        setattr(person, field, value)
    person.name = REMOVED_NAME
    person.slug = removed_slug
    person.user = None
    person.removed_at = timezone.now()
    username = getattr(approved_by, "get_username", lambda: "")() if approved_by else ""
    if proposal is not None:
        reason = f"Removed at the person's request; approved by {username}"
    else:
        reason = "Removed by staff"
    person._change_reason = _reason(reason)
    if approved_by is not None and getattr(approved_by, "pk", None):
        person._history_user = approved_by
    person.save()

    # What the person wrote to staff or was invited with goes too.
    Invitation.objects.filter(person=person).delete()
    for request in Proposal.objects.filter(person=person):
        if request.image:
            request.image.delete(save=False)
        request.changes, request.original, request.message = {}, {}, ""
        if proposal is not None and request.pk == proposal.pk:
            request.status = Proposal.Status.APPROVED
            request.reviewed_by = approved_by
            request.reviewed_at = timezone.now()
        request.save()
    if proposal is not None:
        proposal.refresh_from_db()

    if account is not None:
        account.delete()

    transaction.on_commit(lambda: [_forget_file(storage, name) for name in sorted(photos)])
    return person
