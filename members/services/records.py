"""Every write to organisations and people but the admin's, whose forms save the model directly:
the API calls these. The model checks its own rules (`full_clean`: its fields, and its
constraints, each reported on its field); the links are set once the record is saved."""

from collections.abc import Iterable

from django.db import transaction

from core.db.writes import set_fields
from core.history import links_in_one_entry

from ..models import Organisation, Person, Topic

# What the services may set on an organisation besides its topics. Logos: in the admin.
ORGANISATION_FIELDS = frozenset(
    {
        "name",
        "short_name",
        "slug",
        "kind",
        "country",
        "city",
        "latitude",
        "longitude",
        "website",
        "contact_email",
        "description",
        "division",
        "ror_id",
        "wikidata_id",
    }
)

# What the services may set on a person. Photos: in the admin.
PERSON_FIELDS = frozenset(
    {"honorific", "name", "slug", "job_title", "affiliation", "country", "bio", "email", "website"}
)


@transaction.atomic
def create_organisation(
    *,
    name: str,
    slug: str,
    kind: str,
    country: str,
    topics: Iterable[Topic] | None = None,
    **fields: object,
) -> Organisation:
    """Record a new organisation; `fields` are any others of ORGANISATION_FIELDS."""
    organisation = Organisation(name=name, slug=slug, kind=kind, country=country)
    set_fields(organisation, fields, allowed=ORGANISATION_FIELDS)
    organisation.full_clean()
    organisation.save()
    if topics is not None:
        with links_in_one_entry(organisation):
            organisation.topics.set(topics)
    return organisation


@transaction.atomic
def update_organisation(
    *,
    organisation: Organisation,
    topics: Iterable[Topic] | None = None,
    **changes: object,
) -> Organisation:
    """Change the given fields, and the topics when given; the rest stays."""
    set_fields(organisation, changes, allowed=ORGANISATION_FIELDS)
    organisation.full_clean()
    organisation.save()
    if topics is not None:
        with links_in_one_entry(organisation):
            organisation.topics.set(topics)
    return organisation


@transaction.atomic
def create_person(*, name: str, slug: str, **fields: object) -> Person:
    """Record a new person; `fields` are any others of PERSON_FIELDS."""
    person = Person(name=name, slug=slug)
    set_fields(person, fields, allowed=PERSON_FIELDS)
    person.full_clean()
    person.save()
    return person


@transaction.atomic
def update_person(*, person: Person, **changes: object) -> Person:
    """Change the given fields; the rest stays."""
    set_fields(person, changes, allowed=PERSON_FIELDS)
    person.full_clean()
    person.save()
    return person
