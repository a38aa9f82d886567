"""Change history in the admin: who changed what, before and after, and reverting a change."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from members.models import Organisation
from tests.admin_support import inline_rows
from tests.factories import (
    ConferenceFactory,
    OrganisationFactory,
    TopicFactory,
    bilateral_agreement,
)

pytestmark = pytest.mark.django_db


def organisation_form(organisation: Organisation, **changes) -> dict:
    """The organisation's change form as the admin posts it, with `changes` typed in."""
    data = {
        "name": organisation.name,
        "short_name": organisation.short_name,
        "slug": organisation.slug,
        "kind": organisation.kind,
        "division": organisation.division_id or "",
        "country": organisation.country.code,
        "city": organisation.city,
        "latitude": "",
        "longitude": "",
        "description": organisation.description,
        "topics": [topic.pk for topic in organisation.topics.all()],
        "website": organisation.website,
        "contact_email": organisation.contact_email,
        "ror_id": "",
        "wikidata_id": "",
        **inline_rows("memberships", []),
    }
    data.update(changes)
    return data


def change_url(organisation: Organisation) -> str:
    return reverse("admin:members_organisation_change", args=[organisation.pk])


def edit_city(client, organisation: Organisation, city: str) -> None:
    response = client.post(change_url(organisation), organisation_form(organisation, city=city))
    assert response.status_code == 302, response.context["adminform"].form.errors


def test_history_admin_edit_records_the_staff_user_and_the_change(staff_client, staff_user):
    organisation = OrganisationFactory(city="Lund")

    edit_city(staff_client, organisation, "Malmö")

    record = organisation.history.first()
    assert record.history_type == "~"
    assert record.history_user == staff_user
    delta = record.diff_against(record.prev_record)
    assert [(change.field, change.old, change.new) for change in delta.changes] == [
        ("city", "Lund", "Malmö")
    ]


def test_history_records_the_topics_before_and_after(staff_client):
    organisation = OrganisationFactory()
    old, new = TopicFactory(name="Biotech"), TopicFactory(name="Energy")
    organisation.topics.set([old])

    response = staff_client.post(
        change_url(organisation), organisation_form(organisation, topics=[new.pk])
    )

    assert response.status_code == 302
    latest, oldest = organisation.history.first(), organisation.history.last()
    assert [topic.topic for topic in oldest.topics.all()] == []
    assert [topic.topic for topic in latest.topics.all()] == [new]
    delta = latest.diff_against(organisation.history.all()[2])
    assert [change.field for change in delta.changes] == ["topics"]


def test_history_page_lists_who_changed_which_field_from_what_to_what(staff_client, staff_user):
    organisation = OrganisationFactory(city="Lund")
    edit_city(staff_client, organisation, "Malmö")

    response = staff_client.get(
        reverse("admin:members_organisation_history", args=[organisation.pk])
    )

    assert response.status_code == 200
    page = response.text
    assert "Changed by" in page
    assert staff_user.username in page
    assert "<strong>City:</strong>" in page
    assert "Lund" in page
    assert "Malmö" in page
    assert "2 entries" in page


def test_history_change_form_links_to_the_history_page(staff_client):
    organisation = OrganisationFactory()

    response = staff_client.get(change_url(organisation))

    history_url = reverse("admin:members_organisation_history", args=[organisation.pk])
    assert f'href="{history_url}"' in response.text


def test_history_revert_restores_the_old_value(staff_client, staff_user):
    organisation = OrganisationFactory(city="Lund")
    edit_city(staff_client, organisation, "Malmö")
    before_the_edit = organisation.history.last()
    revert_url = reverse(
        "admin:members_organisation_simple_history",
        args=[organisation.pk, before_the_edit.history_id],
    )

    form_page = staff_client.get(revert_url)
    assert form_page.status_code == 200
    assert "Revert" in form_page.text
    assert form_page.context["adminform"].form.initial["city"] == "Lund"

    organisation.refresh_from_db()
    response = staff_client.post(revert_url, organisation_form(organisation, city="Lund"))

    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.city == "Lund"
    latest = organisation.history.first()
    assert latest.history_user == staff_user
    assert [
        (change.field, change.old, change.new)
        for change in latest.diff_against(latest.prev_record).changes
    ] == [("city", "Malmö", "Lund")]


def test_history_revert_restores_the_old_topics(staff_client):
    organisation = OrganisationFactory()
    old, new = TopicFactory(name="Biotech"), TopicFactory(name="Energy")
    organisation.topics.set([old])
    with_old_topic = organisation.history.first()
    staff_client.post(change_url(organisation), organisation_form(organisation, topics=[new.pk]))
    revert_url = reverse(
        "admin:members_organisation_simple_history",
        args=[organisation.pk, with_old_topic.history_id],
    )

    form_page = staff_client.get(revert_url)
    assert form_page.context["adminform"].form.initial["topics"] == [old.pk]
    response = staff_client.post(revert_url, organisation_form(organisation, topics=[old.pk]))

    assert response.status_code == 302
    assert list(organisation.topics.all()) == [old]


def test_history_names_the_staff_member_behind_an_api_write(staff_api_client, staff_user):
    conference = ConferenceFactory(slug="beijing", venue="")

    response = staff_api_client.patch(
        "/api/v1/conferences/beijing/", {"venue": "Convention Center"}, format="json"
    )

    assert response.status_code == 200
    record = conference.history.first()
    assert record.history_user == staff_user
    assert record.venue == "Convention Center"


def test_history_records_a_deleted_organisation(staff_client):
    organisation = OrganisationFactory(name="Gone Park")
    url = reverse("admin:members_organisation_delete", args=[organisation.pk])

    response = staff_client.post(url, {"post": "yes"})

    assert response.status_code == 302
    assert not Organisation.objects.filter(pk=organisation.pk).exists()
    deleted = Organisation.history.filter(id=organisation.pk).first()
    assert deleted.history_type == "-"
    assert deleted.name == "Gone Park"


@pytest.mark.parametrize(
    ("make", "app_label", "model_name"),
    [
        (ConferenceFactory, "conferences", "conference"),
        (bilateral_agreement, "agreements", "agreement"),
    ],
)
def test_history_page_of_other_records_renders(staff_client, make, app_label, model_name):
    obj = make()

    response = staff_client.get(reverse(f"admin:{app_label}_{model_name}_history", args=[obj.pk]))

    assert response.status_code == 200
    assert str(obj) in response.text


@pytest.mark.parametrize("app_label", ["members", "conferences", "agreements"])
def test_history_is_kept_for_every_model_staff_edit(app_label):
    edited = [
        model
        for model in apps.get_app_config(app_label).get_models()
        if admin.site.is_registered(model)
    ]

    assert edited
    for model in edited:
        assert hasattr(model._meta, "simple_history_manager_attribute"), model
        assert isinstance(admin.site.get_model_admin(model), SimpleHistoryAdmin), model
