"""What the tests of proposals share: contacts, a person's own account, uploads."""

from django.core.files.uploadedfile import SimpleUploadedFile

from members.models import Contact
from tests.factories import OrganisationFactory, PersonFactory, UserFactory
from tests.upload_support import image_bytes


def contact_of(organisation=None, **organisation_fields):
    """A user who is a contact of the organisation (a new one with these fields unless given)."""
    organisation = organisation or OrganisationFactory(**organisation_fields)
    user = UserFactory()
    Contact.objects.create(organisation=organisation, user=user)
    return user, organisation


def person_with_account(**fields):
    user = UserFactory()
    person = PersonFactory(user=user, **fields)
    return user, person


def png_upload(name: str = "logo.png", size: tuple[int, int] = (40, 20)) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, image_bytes("PNG", size), content_type="image/png")


def organisation_form(record, /, **values) -> dict:
    """The edit form as the member sends it: the record's values, changed by `values`."""
    data = {
        "description": record.description,
        "website": record.website,
        "city": record.city,
        "latitude": "" if record.latitude is None else str(record.latitude),
        "longitude": "" if record.longitude is None else str(record.longitude),
        "contact_email": record.contact_email,
        "topics": [topic.slug for topic in record.topics.all()],
        "message": "",
    }
    data.update(values)
    return data
