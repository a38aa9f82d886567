"""An organisation that signed an agreement or hosts a conference cannot be deleted: the admin
says so, names what keeps it, and deletes nothing."""

import pytest
from django.urls import reverse

from agreements.models import AgreementParty
from members.models import Organisation, Person
from tests.factories import (
    AppearanceFactory,
    ConferenceHostFactory,
    OrganisationFactory,
    PersonFactory,
    bilateral_agreement,
)

pytestmark = pytest.mark.django_db


def delete_url(organisation: Organisation) -> str:
    return reverse("admin:members_organisation_delete", args=[organisation.pk])


def changelist_url() -> str:
    return reverse("admin:members_organisation_changelist")


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_delete_party_to_an_agreement_names_the_agreement(staff_client):
    agreement = bilateral_agreement(title="STeP and TSP cooperation")
    organisation = agreement.parties.first().organisation

    response = staff_client.get(delete_url(organisation))

    assert response.status_code == 200
    agreement_url = reverse("admin:agreements_agreement_change", args=[agreement.pk])
    assert (
        f'Party to the agreement: <a href="{agreement_url}">STeP and TSP cooperation</a>'
        in response.text
    )
    assert messages_of(response) == [
        f"“{organisation.name}” cannot be deleted while the records listed below refer to it. "
        "Remove it from them first."
    ]
    assert "Yes, I’m sure" not in response.text


def test_delete_host_of_a_conference_names_the_conference(staff_client):
    host = ConferenceHostFactory(conference__title="42nd World Conference")

    response = staff_client.get(delete_url(host.organisation))

    conference_url = reverse("admin:conferences_conference_change", args=[host.conference.pk])
    assert (
        f'Host of the conference: <a href="{conference_url}">42nd World Conference</a>'
        in response.text
    )


def test_delete_confirmed_anyway_deletes_nothing(staff_client):
    agreement = bilateral_agreement()
    organisation = agreement.parties.first().organisation

    response = staff_client.post(delete_url(organisation), {"post": "yes"})

    assert response.status_code == 200
    assert Organisation.objects.filter(pk=organisation.pk).exists()
    assert AgreementParty.objects.filter(agreement=agreement).count() == 2


def test_delete_organisation_without_links_is_deleted(staff_client):
    organisation = OrganisationFactory()

    page = staff_client.get(delete_url(organisation))
    response = staff_client.post(delete_url(organisation), {"post": "yes"})

    assert "Yes, I’m sure" in page.text
    assert messages_of(page) == []
    assert response.status_code == 302
    assert not Organisation.objects.filter(pk=organisation.pk).exists()


def test_bulk_delete_with_one_protected_organisation_deletes_none(staff_client):
    host = ConferenceHostFactory(conference__title="42nd World Conference")
    free = OrganisationFactory()
    data = {"action": "delete_selected", "_selected_action": [host.organisation.pk, free.pk]}

    page = staff_client.post(changelist_url(), data)
    confirmed = staff_client.post(changelist_url(), {**data, "post": "yes"})

    assert "Host of the conference: <a" in page.text
    assert messages_of(page) == [
        "The selected organisations cannot be deleted while the records listed below refer to "
        "them. Remove them from those records first."
    ]
    assert confirmed.status_code == 200
    assert Organisation.objects.filter(pk__in=[host.organisation.pk, free.pk]).count() == 2


def test_bulk_delete_of_both_parties_names_their_agreement_once(staff_client):
    agreement = bilateral_agreement(title="STeP and TSP cooperation")
    parties = [party.organisation.pk for party in agreement.parties.all()]
    data = {"action": "delete_selected", "_selected_action": parties}

    page = staff_client.post(changelist_url(), data)

    assert page.text.count("Party to the agreement: <a") == 1
    assert Organisation.objects.filter(pk__in=parties).count() == 2


def test_delete_person_names_the_session_they_take_part_in(staff_client):
    appearance = AppearanceFactory(session__title="Opening plenary")
    url = reverse("admin:members_person_delete", args=[appearance.person.pk])

    response = staff_client.post(url, {"post": "yes"})

    session_url = reverse("admin:conferences_session_change", args=[appearance.session.pk])
    assert f'Taking part in the session: <a href="{session_url}">Opening plenary</a>' in (
        response.text
    )
    assert Person.objects.filter(pk=appearance.person.pk).exists()


def test_delete_person_without_links_is_deleted(staff_client):
    person = PersonFactory()
    url = reverse("admin:members_person_delete", args=[person.pk])

    response = staff_client.post(url, {"post": "yes"})

    assert response.status_code == 302
    assert not Person.objects.filter(pk=person.pk).exists()
