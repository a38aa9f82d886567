"""What a proposal changes, field by field: the record's value now, the value when proposed,
and the proposed one. The staff review page and the member's own page both show it."""

from dataclasses import dataclass
from pathlib import PurePath

from django.db.models import Prefetch
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404

from .models import Organisation, Proposal, Topic
from .services.proposals import (
    IMAGE_FIELD,
    ORGANISATION_PROPOSAL_FIELDS,
    PERSON_PROPOSAL_FIELDS,
    json_value,
    topic_slugs,
)


@dataclass
class Row:
    name: str
    label: str
    now: object  # text, or the record's image (a FieldFile) for the logo or photo
    proposed: object  # text, or True for a new image
    original: object
    changed: bool  # the proposal changes this field
    changed_since: bool  # the record's value is no longer the one the member saw

    @property
    def is_image(self) -> bool:
        return self.name in IMAGE_FIELD.values()


def proposals_for_review():
    """Proposals with what their review page reads: subject, its topics, proposer, reviewer."""
    return Proposal.objects.select_related(
        "organisation", "person", "proposed_by", "reviewed_by"
    ).prefetch_related(
        Prefetch("organisation__topics", queryset=Topic.objects.order_by("slug")),
    )


def review_rows(proposal: Proposal, *, only_changed: bool = False) -> list[Row]:
    """The rows of the side-by-side table; every field a member may change, or only those the
    proposal changes. Topics are shown by name (one query)."""
    if proposal.kind == Proposal.Kind.REMOVAL:
        return []
    subject = proposal.subject
    if isinstance(subject, Organisation):
        names = (*ORGANISATION_PROPOSAL_FIELDS, "topics", IMAGE_FIELD["organisation"])
    else:
        names = (*PERSON_PROPOSAL_FIELDS, IMAGE_FIELD["person"])
    changes, original = proposal.changes or {}, proposal.original or {}
    if only_changed:
        names = tuple(name for name in names if name in changes)
    current = {}
    for name in names:
        if name == "topics":
            current[name] = topic_slugs(subject.topics.all())
        elif name in IMAGE_FIELD.values():
            current[name] = getattr(subject, name)
        else:
            current[name] = json_value(subject, name)
    topic_names = {}
    if "topics" in names:
        slugs = {*current["topics"], *changes.get("topics", []), *original.get("topics", [])}
        known = {topic.slug: topic.name for topic in subject.topics.all()}
        missing = slugs - set(known)
        if missing:
            known |= dict(Topic.objects.filter(slug__in=missing).values_list("slug", "name"))
        topic_names = known
    rows = []
    for name in names:
        changed = name in changes
        now = current[name]
        if name in IMAGE_FIELD.values():
            was = original.get(name, now.name or "")
            since = changed and was != (now.name or "")
            proposed = True if changed else now
        else:
            was = original.get(name, now)
            since = changed and was != now
            proposed = changes.get(name, now)
        if name == "topics":
            now, proposed, was = (
                ", ".join(topic_names.get(slug, slug) for slug in value)
                for value in (now, proposed, was)
            )
        rows.append(
            Row(
                name=name,
                label=label_of(subject, name),
                now=blank_as_dash(now),
                proposed=blank_as_dash(proposed),
                original=blank_as_dash(was),
                changed=changed,
                changed_since=since,
            )
        )
    return rows


def label_of(subject, name: str) -> str:
    return str(subject._meta.get_field(name).verbose_name).capitalize()


def blank_as_dash(value: object) -> object:
    if isinstance(value, FieldFile) or value is True:
        return value
    return "—" if value in (None, "") else value


def changed_since(rows: list[Row]) -> list[str]:
    """The labels of the fields whose value changed since the member proposed."""
    return [row.label for row in rows if row.changed_since]


IMAGE_TYPES = {
    ".jpg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
    ".gif": "image/gif",
}


def private_image_response(image) -> FileResponse:
    """A proposal's private image, never cached, typed by its stored extension."""
    content_type = IMAGE_TYPES.get(PurePath(image.name).suffix.lower())
    if content_type is None:
        raise Http404
    try:
        handle = image.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
