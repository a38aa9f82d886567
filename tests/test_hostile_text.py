"""A one-line field refuses control characters, wherever the value comes from.

A title with a line break used to be saved by the admin, the API and imports, and then broke
the conference's calendar (a 500): the rule lives in one validator on the model fields.
"""

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from conferences.models import Conference
from core.validators import validate_single_line
from members.models import Organisation
from tests.api_support import errors
from tests.conferences.test_admin import conference_data
from tests.conferences.test_api_conference_writes import world_conference
from tests.factories import OrganisationFactory
from tests.members.test_api_organisation_writes import new_organisation
from tests.test_import_export import (
    ORGANISATION_HEADER,
    assert_refused,
    csv_file,
    organisation_row,
    preview,
)

pytestmark = pytest.mark.django_db

MESSAGE = "Enter a single line without control characters (such as line breaks or tabs)."

CONTROL = ["A\nB", "A\r\nB", "A\rB", "A\tB", "A\x00B", "A\x1bB", "A\x7fB", "A\x85B", "A\u2028B"]


@pytest.mark.parametrize("value", CONTROL)
def test_single_line_validator_refuses_control_characters(value):
    with pytest.raises(ValidationError) as refused:
        validate_single_line(value)

    assert refused.value.code == "control_characters"


@pytest.mark.parametrize(
    "value", ["IASP 2026 Dhahran", "Zhongguancun 中关村 🙂", "\u202egnp.exe", "Ō\u00a0Park", ""]
)
def test_single_line_validator_accepts_any_printable_text(value):
    validate_single_line(value)


def single_line_fields():
    for label in ("members", "conferences", "agreements"):
        for model in apps.get_app_config(label).get_models():
            for field in model._meta.get_fields():
                if (
                    isinstance(field, models.CharField)
                    and not isinstance(field, models.SlugField | models.URLField)
                    and not isinstance(field, models.EmailField)
                    and not field.choices
                    and field.editable  # set by the portal (a token's hash), never typed
                    and not field.name.startswith("history_")  # django-simple-history's own
                ):
                    yield f"{model.__name__}.{field.name}", field


def test_every_single_line_text_field_of_the_records_refuses_control_characters():
    fields = dict(single_line_fields())
    unchecked = [
        name for name, field in fields.items() if validate_single_line not in field.validators
    ]

    assert {"Conference.title", "Organisation.name", "Person.name", "Agreement.title"} <= set(
        fields
    )
    assert unchecked == []


def test_model_full_clean_names_the_field_with_a_line_break():
    organisation = OrganisationFactory.build(city="Beijing\r\nSet-Cookie: x=1")

    with pytest.raises(ValidationError) as refused:
        organisation.full_clean(validate_unique=False, validate_constraints=False)

    assert refused.value.message_dict == {"city": [MESSAGE]}


def test_api_conference_title_with_a_line_break_is_a_400_naming_the_title(staff_api_client):
    response = staff_api_client.post(
        "/api/v1/conferences/", world_conference(title="IASP 2026\r\nDhahran"), format="json"
    )

    assert response.status_code == 400, response.content
    assert errors(response) == [("title", "control_characters")]
    assert not Conference.objects.exists()


def test_api_organisation_name_with_a_tab_is_a_400_naming_the_name(staff_api_client):
    response = staff_api_client.post(
        "/api/v1/organisations/", new_organisation(name="Tus\tPark"), format="json"
    )

    assert response.status_code == 400, response.content
    assert errors(response) == [("name", "control_characters")]


def test_admin_conference_title_with_a_line_break_shows_the_error(staff_client):
    data = conference_data(title="43rd World\nConference")

    response = staff_client.post(reverse("admin:conferences_conference_add"), data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["title"] == [MESSAGE]
    assert not Conference.objects.exists()


def test_import_organisation_name_with_a_line_break_is_reported(staff_client):
    upload = csv_file(ORGANISATION_HEADER, [organisation_row(name="CMU\nScience Park")])

    response = preview(staff_client, Organisation, upload)

    assert_refused(response, 2, MESSAGE)
    assert not Organisation.objects.exists()
