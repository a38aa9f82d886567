"""Change history in the admin: who changed what, before and after, and reverting a change."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db.models.fields.files import FieldFile
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from conferences.models import Conference
from members.models import Organisation
from tests.admin_support import inline_rows
from tests.factories import (
    ConferenceFactory,
    DivisionFactory,
    OrganisationFactory,
    SessionFactory,
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


# Staff do not edit these; they decide them. A proposal keeps its decision (who, when, why),
# and the change it brings is written into the history of the record it changes.
DECIDED_NOT_EDITED = {"members.proposal"}


@pytest.mark.parametrize("app_label", ["members", "conferences", "agreements"])
def test_history_is_kept_for_every_model_staff_edit(app_label):
    edited = [
        model
        for model in apps.get_app_config(app_label).get_models()
        if admin.site.is_registered(model) and model._meta.label_lower not in DECIDED_NOT_EDITED
    ]

    assert edited
    for model in edited:
        assert hasattr(model._meta, "simple_history_manager_attribute"), model
        assert isinstance(admin.site.get_model_admin(model), SimpleHistoryAdmin), model


# Readable history, one entry per save, reverting back to the record


def change_form_data(response, **changes) -> dict:
    """What the admin change page in `response` posts back as it is, with `changes` typed in:
    the record's form and every inline's rows."""
    context = response.context
    forms = [context["adminform"].form]
    for inline in context.get("inline_admin_formsets", []):
        forms += [inline.formset.management_form, *inline.formset.forms]
    data: dict = {}
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            key = form.add_prefix(name)
            if value is None or value is False or isinstance(value, FieldFile):
                continue
            if value is True:
                data[key] = "on"
            elif isinstance(value, list | tuple):
                data[key] = [str(item) for item in value]
            else:
                data[key] = str(value)
    data.update(changes)
    return data


def save_in_admin(client, obj, **changes):
    opts = obj._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    response = client.post(url, change_form_data(client.get(url), **changes))
    assert response.status_code == 302, response.context["adminform"].form.errors
    return response


def conference_history_page(client, conference) -> str:
    return client.get(reverse("admin:conferences_conference_history", args=[conference.pk])).text


def test_history_one_entry_per_save_with_links_changed(staff_client):
    organisation = OrganisationFactory()
    old, new = TopicFactory(name="Biotech"), TopicFactory(name="Energy")
    organisation.topics.set([old])
    entries_before = organisation.history.count()

    save_in_admin(staff_client, organisation, city="Malmö", topics=[str(new.pk)])

    assert organisation.history.count() == entries_before + 1
    latest = organisation.history.first()
    assert latest.city == "Malmö"
    assert [row.topic for row in latest.topics.all()] == [new]
    changes = latest.diff_against(latest.prev_record).changes
    assert sorted(change.field for change in changes) == ["city", "topics"]


def test_history_one_entry_per_save_of_a_conference_with_its_programme(staff_client):
    conference = ConferenceFactory(title="Nairobi Summit")
    SessionFactory(conference=conference, title="Opening")
    conference.topics.set([TopicFactory()])
    entries_before = conference.history.count()

    save_in_admin(
        staff_client,
        conference,
        venue="KICC",
        topics=[str(TopicFactory(name="Mobility").pk)],
        **{"sessions-0-title": "Opening plenary"},
    )

    assert conference.history.count() == entries_before + 1
    assert conference.sessions.get().title == "Opening plenary"


def test_history_one_entry_per_revert_with_links(staff_client):
    organisation = OrganisationFactory()
    old, new = TopicFactory(name="Biotech"), TopicFactory(name="Energy")
    organisation.topics.set([old])
    with_old = organisation.history.first()
    save_in_admin(staff_client, organisation, topics=[str(new.pk)])
    entries_before = organisation.history.count()
    url = reverse(
        "admin:members_organisation_simple_history", args=[organisation.pk, with_old.history_id]
    )

    staff_client.post(url, change_form_data(staff_client.get(url)))

    assert organisation.history.count() == entries_before + 1
    assert [row.topic for row in organisation.history.first().topics.all()] == [old]


def test_history_page_speaks_in_labels_not_raw_values(staff_client):
    conference = ConferenceFactory(status=Conference.Status.PLANNED, division=None, venue="")
    division = DivisionFactory(name="Asia Pacific")

    save_in_admin(
        staff_client,
        conference,
        kind="division",
        status="registration_open",
        participant_count="4000",
        participant_count_is_minimum="on",
        division=str(division.pk),
        venue="Convention Centre",
    )
    page = conference_history_page(staff_client, conference)

    assert "<strong>Kind:</strong> World conference &rarr; Division conference" in page
    assert "<strong>Status:</strong> Planned &rarr; Registration open" in page
    assert "<strong>At least this many:</strong> No &rarr; Yes" in page
    assert "<strong>Participants:</strong> none &rarr; 4000" in page
    assert "<strong>Division:</strong> none &rarr; Asia Pacific" in page
    assert "<strong>Venue:</strong> none &rarr; Convention Centre" in page
    assert "registration_open" not in page
    assert "Change reason" not in page
    assert "None" not in page


def test_history_page_shows_a_reason_when_one_is_given(staff_client):
    conference = ConferenceFactory()
    conference.venue = "Hall B"
    conference._change_reason = "Venue moved by the host"
    conference.save()

    page = conference_history_page(staff_client, conference)

    assert "Reason" in page
    assert "Venue moved by the host" in page


def test_history_version_breadcrumbs_name_the_record(staff_client):
    conference = ConferenceFactory(title="Nairobi Summit")
    version = conference.history.first()

    response = staff_client.get(
        reverse(
            "admin:conferences_conference_simple_history",
            args=[conference.pk, version.history_id],
        )
    )

    breadcrumbs = response.text.split('class="breadcrumbs"')[1].split("</div>")[0]
    assert "Historical" not in response.text
    assert ">Conferences</a>" in breadcrumbs
    assert ">Nairobi Summit</a>" in breadcrumbs
    assert "Version of" in breadcrumbs


def test_history_revert_lands_on_the_record_with_a_message(staff_client):
    conference = ConferenceFactory(title="Nairobi Summit", venue="KICC")
    save_in_admin(staff_client, conference, venue="Sarit Centre")
    before = conference.history.all()[1]
    url = reverse(
        "admin:conferences_conference_simple_history", args=[conference.pk, before.history_id]
    )

    response = staff_client.post(url, change_form_data(staff_client.get(url)), follow=True)

    change_url = reverse("admin:conferences_conference_change", args=[conference.pk])
    assert response.redirect_chain == [(change_url, 302)]
    assert "“Nairobi Summit” is back as it was on" in response.text
    assert response.context["adminform"].form.initial["venue"] == "KICC"
    conference.refresh_from_db()
    assert conference.venue == "KICC"


@pytest.mark.parametrize("version", ["abc", "999999"])
def test_history_version_that_does_not_exist_is_not_found(staff_client, version):
    conference = ConferenceFactory()

    response = staff_client.get(f"/admin/conferences/conference/{conference.pk}/history/{version}/")

    assert response.status_code == 404


@pytest.mark.parametrize("saves", [1, 6])
def test_history_page_query_count_is_fixed(staff_client, django_assert_num_queries, saves):
    conference = ConferenceFactory(kind="division", division=DivisionFactory())
    for index in range(saves):
        conference.venue = f"Hall {index}"
        conference.division = DivisionFactory(name=f"Region {index}")
        conference.save()
        conference.topics.set([TopicFactory(name=f"Theme {index}")])
    ContentType.objects.clear_cache()  # the page looks the user's content type up once

    with django_assert_num_queries(8):
        response = staff_client.get(
            reverse("admin:conferences_conference_history", args=[conference.pk])
        )

    last = saves - 1
    assert f"<strong>Topics:</strong> none &rarr; Theme {last}" in response.text
    assert f"&rarr; Region {last}</li>" in response.text
    assert "Venue:</strong> none &rarr; Hall 0" in response.text


def test_history_one_entry_per_service_write_with_links(staff_user):
    """The services the API calls keep one entry per write too, links included."""
    from conferences.services import update_conference
    from members.services import update_organisation

    organisation = OrganisationFactory()
    conference = ConferenceFactory()
    old, new = TopicFactory(name="Biotech"), TopicFactory(name="Energy")
    organisation.topics.set([old])
    conference.topics.set([old])
    before = organisation.history.count(), conference.history.count()

    update_organisation(organisation=organisation, city="Malmö", topics=[new])
    update_conference(conference=conference, venue="KICC", topics=[new])

    assert (organisation.history.count(), conference.history.count()) == (
        before[0] + 1,
        before[1] + 1,
    )
    for record in (organisation, conference):
        latest = record.history.first()
        assert [row.topic for row in latest.topics.all()] == [new]


def test_history_one_entry_per_agreement_update_with_topics():
    from agreements.services import update_agreement
    from tests.factories import bilateral_agreement

    agreement = bilateral_agreement()
    old, new = TopicFactory(name="Biotech"), TopicFactory(name="Energy")
    agreement.topics.set([old])
    before = agreement.history.count()

    update_agreement(agreement=agreement, topics=[new])
    update_agreement(agreement=agreement, title="Renamed", topics=[old, new])

    assert agreement.history.count() == before + 2
    latest = agreement.history.first()
    assert latest.title == "Renamed"
    assert {row.topic for row in latest.topics.all()} == {old, new}
    assert [row.topic for row in latest.prev_record.topics.all()] == [new]
