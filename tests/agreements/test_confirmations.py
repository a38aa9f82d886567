import datetime

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agreements.confirmations import (
    CHANGED,
    CONFIRMED,
    CORRECTION,
    WAITING,
    fingerprint,
    is_fully_confirmed,
    party_states,
)
from agreements.models import Agreement, AgreementConfirmation
from agreements.services import (
    ask_correction,
    confirm_agreement,
    set_agreement_visibility,
    update_agreement,
    update_proposed_agreement,
)
from core.dates import date_text
from tests.admin_support import inline_rows
from tests.agreements.confirmation_support import (
    contact_of,
    mail_to,
    proposed,
    two_parks,
)
from tests.factories import OrganisationFactory, TopicFactory, agreement_between

pytestmark = pytest.mark.django_db


def stored(agreement: Agreement) -> Agreement:
    return Agreement.objects.for_confirmations().get(pk=agreement.pk)


def states_of(agreement: Agreement) -> dict[str, str]:
    return {state.organisation.name: state.state for state in party_states(stored(agreement))}


def admin_change_data(agreement: Agreement, **fields) -> dict:
    parties = [
        {
            "id": party.pk,
            "agreement": agreement.pk,
            "organisation": party.organisation_id,
            "signatory": "",
            "signed_on": party.signed_on.isoformat() if party.signed_on else "",
            "reference_number": "",
            "order": str(party.order),
        }
        for party in agreement.parties.all()
    ]
    data = {
        "title": agreement.title,
        "slug": agreement.slug,
        "kind": agreement.kind,
        "status": agreement.status,
        "signed_on": agreement.signed_on.isoformat(),
        "signed_at_conference": "",
        "signed_city": agreement.signed_city,
        "signed_country": "",
        "effective_on": "",
        "expires_on": "",
        "summary": agreement.summary,
        "source_url": "",
        "confirmation_note": agreement.confirmation_note,
        **inline_rows("parties", parties, initial=len(parties), min_num=2),
        **inline_rows("documents", []),
    }
    if agreement.is_public:
        data["is_public"] = "on"
    data.update(fields)
    return {name: value for name, value in data.items() if value is not None}


def admin_change(client, agreement: Agreement, **fields):
    url = reverse("admin:agreements_agreement_change", args=[agreement.pk])
    return client.post(url, admin_change_data(agreement, **fields))


# The fingerprint


def test_fingerprint_reads_the_prefetched_record_without_a_query(django_assert_num_queries):
    park_a, _alice, park_b, _bruno = two_parks()
    agreement = agreement_between(park_a, park_b, topics=[TopicFactory()])
    agreement = stored(agreement)
    with django_assert_num_queries(0):
        fingerprint(agreement)
        party_states(agreement)


def test_fingerprint_changes_with_what_a_party_confirms_only():
    park_a, _alice, park_b, _bruno = two_parks()
    agreement = agreement_between(park_a, park_b)
    before = fingerprint(stored(agreement))
    update_agreement(agreement=agreement, is_public=False, source_url="https://example.org/")
    assert fingerprint(stored(agreement)) == before
    update_agreement(agreement=agreement, topics=[TopicFactory()])
    with_topic = fingerprint(stored(agreement))
    assert with_topic != before
    update_agreement(agreement=agreement, summary="Joint incubation programme.")
    assert fingerprint(stored(agreement)) != with_topic


# Proposing


def test_proposal_is_hidden_confirmed_by_its_party_and_asks_the_other(
    django_capture_on_commit_callbacks, staff_user
):
    park_a, alice, park_b, bruno = two_parks()
    with django_capture_on_commit_callbacks(execute=True):
        agreement = proposed(park_a, alice, park_b)
    assert agreement.is_public is False
    assert agreement.proposed_by == alice
    assert agreement.proposed_for == park_a
    assert states_of(agreement) == {park_a.name: CONFIRMED, park_b.name: WAITING}
    (request,) = mail_to(bruno.email)
    assert "Please confirm the agreement “Alpha and Beta cooperate”" in request.subject
    assert f"/account/agreements/{agreement.slug}/" in request.body
    assert "Alpha Science Park has recorded the agreement" in request.body
    assert request.alternatives[0][1] == "text/html"
    (staff_mail,) = mail_to(staff_user.email)
    assert "New agreement proposed by Alpha Science Park" in staff_mail.subject
    assert "no contact" not in staff_mail.body
    assert mail_to(alice.email) == []


def test_proposal_tells_staff_of_a_party_nobody_can_be_asked_for(
    django_capture_on_commit_callbacks, staff_user
):
    park_a, alice, _park_b, _bruno = two_parks()
    silent = OrganisationFactory(name="Gamma Research Campus")
    with django_capture_on_commit_callbacks(execute=True):
        proposed(park_a, alice, silent)
    (staff_mail,) = mail_to(staff_user.email)
    assert "These parties have no contact in the members' area" in staff_mail.body
    assert "- Gamma Research Campus" in staff_mail.body


def test_proposal_with_a_taken_title_gets_its_own_slug():
    park_a, alice, park_b, _bruno = two_parks()
    agreement_between(park_a, park_b, title="Same title", slug="same-title")
    agreement = proposed(park_a, alice, park_b, title="Same title")
    assert agreement.slug == "same-title-2"


# The two-party flow, end to end


def test_two_parties_confirm_staff_publish_and_visitors_read_both_confirmations(
    client, api_client, staff_user, django_capture_on_commit_callbacks
):
    park_a, alice, park_b, bruno = two_parks()
    staff_client = Client()
    staff_client.force_login(staff_user)
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account:agreement-new"),
            {
                "organisation": park_a.pk,
                "other_parties": [park_b.pk],
                "kind": Agreement.Kind.MOU,
                "title": "Alpha and Beta share incubators",
                "signed_on": "2026-03-02",
                "signed_city": "Espoo",
                "summary": "Start-ups of each park use the other's incubator.",
            },
        )
    agreement = Agreement.objects.get(title="Alpha and Beta share incubators")
    assert response.status_code == 302
    assert response.url == f"/account/agreements/{agreement.slug}/"
    assert len(mail_to(bruno.email)) == 1
    assert len(mail_to(staff_user.email)) == 1

    client.force_login(bruno)
    page = client.get(f"/account/agreements/{agreement.slug}/").content.decode()
    assert "Start-ups of each park use the other&#x27;s incubator." in page
    assert "Confirm for Beta Innovation Park" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/account/agreements/{agreement.slug}/",
            {"action": "confirm", "organisation": park_b.slug},
        )
    assert response.status_code == 302
    assert is_fully_confirmed(stored(agreement))

    response = staff_client.post(
        reverse("admin:agreements_agreement_changelist"),
        {"action": "make_public", ACTION_CHECKBOX_NAME: [agreement.pk]},
    )
    agreement.refresh_from_db()
    assert agreement.is_public is True

    today = date_text(timezone.localdate())
    page = Client().get(agreement.get_absolute_url()).content.decode()
    assert "Confirmed by Alpha Science Park on" in page
    assert "Confirmed by Beta Innovation Park on" in page
    assert today in page
    body = api_client.get(f"/api/v1/agreements/{agreement.slug}/").json()
    assert body["confirmations"] == [
        {
            "organisation": park_a.slug,
            "name": "Alpha Science Park",
            "confirmed_on": timezone.localdate().isoformat(),
        },
        {
            "organisation": park_b.slug,
            "name": "Beta Innovation Park",
            "confirmed_on": timezone.localdate().isoformat(),
        },
    ]
    listed = api_client.get("/api/v1/agreements/").json()["results"]
    assert [row["organisation"] for row in listed[0]["confirmations"]] == [
        park_a.slug,
        park_b.slug,
    ]


# A change after a party confirmed


def test_proposers_change_asks_the_confirmed_party_again(django_capture_on_commit_callbacks):
    park_a, alice, park_b, bruno = two_parks()
    agreement = proposed(park_a, alice, park_b)
    confirm_agreement(agreement=agreement, organisation=park_b, user=bruno)
    assert is_fully_confirmed(stored(agreement))
    with django_capture_on_commit_callbacks(execute=True):
        update_proposed_agreement(
            agreement=stored(agreement), user=alice, summary="Now with joint events."
        )
    assert states_of(agreement) == {park_a.name: CONFIRMED, park_b.name: CHANGED}
    assert not is_fully_confirmed(stored(agreement))
    (again,) = mail_to(bruno.email)
    assert "Please confirm the changed record of “Alpha and Beta cooperate”" in again.subject
    assert mail_to(alice.email) == []


def test_proposers_edit_page_asks_again_and_shows_changed_since_confirmed(
    client, django_capture_on_commit_callbacks
):
    park_a, alice, park_b, bruno = two_parks()
    agreement = proposed(park_a, alice, park_b)
    confirm_agreement(agreement=agreement, organisation=park_b, user=bruno)
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/account/agreements/{agreement.slug}/edit/",
            {
                "other_parties": [park_b.pk],
                "kind": Agreement.Kind.COOPERATION,
                "title": "Alpha and Beta cooperate closely",
                "signed_on": "2026-03-02",
                "signed_city": "Espoo",
            },
        )
    assert response.status_code == 302
    assert len(mail_to(bruno.email)) == 1
    client.force_login(bruno)
    page = client.get(f"/account/agreements/{agreement.slug}/").content.decode()
    assert "Alpha and Beta cooperate closely" in page
    assert "Beta Innovation Park: <strong>Changed since confirmed</strong>" in page


def test_staff_change_in_the_admin_asks_the_parties_again(
    staff_client, django_capture_on_commit_callbacks
):
    park_a, alice, park_b, bruno = two_parks()
    agreement = proposed(park_a, alice, park_b)
    confirm_agreement(agreement=agreement, organisation=park_b, user=bruno)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_change(staff_client, stored(agreement), title="Alpha–Beta cooperation")
    assert response.status_code == 302
    assert states_of(agreement) == {park_a.name: CHANGED, park_b.name: CHANGED}
    assert len(mail_to(bruno.email)) == 1
    assert len(mail_to(alice.email)) == 1


def test_staff_save_changing_nothing_a_party_confirms_asks_nobody(
    staff_client, django_capture_on_commit_callbacks
):
    park_a, alice, park_b, bruno = two_parks()
    agreement = proposed(park_a, alice, park_b)
    confirm_agreement(agreement=agreement, organisation=park_b, user=bruno)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_change(staff_client, stored(agreement), source_url="https://example.org/")
    assert response.status_code == 302
    assert is_fully_confirmed(stored(agreement))
    assert mail_to(bruno.email) == []


def test_update_service_asks_again_after_a_change_of_topics(django_capture_on_commit_callbacks):
    park_a, alice, park_b, bruno = two_parks()
    agreement = proposed(park_a, alice, park_b)
    confirm_agreement(agreement=agreement, organisation=park_b, user=bruno)
    with django_capture_on_commit_callbacks(execute=True):
        update_agreement(agreement=stored(agreement), topics=[TopicFactory()])
    assert states_of(agreement) == {park_a.name: CHANGED, park_b.name: CHANGED}
    assert len(mail_to(bruno.email)) == 1


# Corrections


def test_correction_reaches_the_proposing_party_by_mail_and_on_its_page(
    client, django_capture_on_commit_callbacks
):
    park_a, alice, park_b, bruno = two_parks()
    agreement = proposed(park_a, alice, park_b)
    client.force_login(bruno)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/account/agreements/{agreement.slug}/",
            {
                "action": "correction",
                "organisation": park_b.slug,
                "message": "It was signed in Porto, not Espoo.",
            },
        )
    assert response.status_code == 302
    assert states_of(agreement)[park_b.name] == CORRECTION
    (told,) = mail_to(alice.email)
    assert "Beta Innovation Park asks for a correction" in told.subject
    assert "It was signed in Porto, not Espoo." in told.body
    client.force_login(alice)
    page = client.get(f"/account/agreements/{agreement.slug}/").content.decode()
    assert "It was signed in Porto, not Espoo." in page
    assert "Beta Innovation Park: <strong>Correction asked</strong>" in page


def test_correction_without_a_message_is_a_field_error(client):
    park_a, alice, park_b, bruno = two_parks()
    agreement = proposed(park_a, alice, park_b)
    client.force_login(bruno)
    response = client.post(
        f"/account/agreements/{agreement.slug}/",
        {"action": "correction", "organisation": park_b.slug, "message": "   "},
    )
    assert response.status_code == 200
    assert "Say what should be corrected." in response.content.decode()
    assert states_of(agreement)[park_b.name] == WAITING
    with pytest.raises(ValidationError):
        ask_correction(agreement=agreement, organisation=park_b, user=bruno, message="")


def test_a_party_that_is_not_one_cannot_answer():
    park_a, alice, park_b, _bruno = two_parks()
    agreement = proposed(park_a, alice, park_b)
    outsider = OrganisationFactory()
    with pytest.raises(ValidationError):
        confirm_agreement(agreement=agreement, organisation=outsider, user=alice)
    assert not AgreementConfirmation.objects.filter(organisation=outsider).exists()


# Publishing


def test_publishing_without_every_confirmation_is_refused_by_each_service():
    park_a, alice, park_b, _bruno = two_parks()
    agreement = proposed(park_a, alice, park_b)
    with pytest.raises(ValidationError) as refused:
        update_agreement(agreement=stored(agreement), is_public=True)
    assert "is_public" in refused.value.message_dict
    with pytest.raises(ValidationError):
        set_agreement_visibility(agreements=[stored(agreement)], public=True, changed_by=None)
    agreement.refresh_from_db()
    assert agreement.is_public is False


def test_publishing_in_the_admin_without_confirmations_is_a_field_error(staff_client):
    park_a, alice, park_b, _bruno = two_parks()
    agreement = proposed(park_a, alice, park_b)
    response = admin_change(staff_client, stored(agreement), is_public="on")
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "Not every party has confirmed this version" in errors["is_public"][0]
    agreement.refresh_from_db()
    assert agreement.is_public is False


def test_publishing_action_without_confirmations_says_why_and_changes_nothing(staff_client):
    park_a, alice, park_b, _bruno = two_parks()
    agreement = proposed(park_a, alice, park_b)
    response = staff_client.post(
        reverse("admin:agreements_agreement_changelist"),
        {"action": "make_public", ACTION_CHECKBOX_NAME: [agreement.pk]},
        follow=True,
    )
    assert "Not every party has confirmed this version" in response.content.decode()
    agreement.refresh_from_db()
    assert agreement.is_public is False


def test_publishing_with_a_note_is_allowed_and_the_note_is_public(staff_client):
    park_a, alice, park_b, _bruno = two_parks()
    agreement = proposed(park_a, alice, park_b)
    note = "Beta Innovation Park confirmed by letter of 4 March 2026."
    response = admin_change(staff_client, stored(agreement), is_public="on", confirmation_note=note)
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.is_public is True
    page = Client().get(agreement.get_absolute_url()).content.decode()
    assert note in page
    assert "Confirmed by Alpha Science Park on" in page
    assert "Not confirmed by Beta Innovation Park" in page


def test_publishing_through_the_update_service_with_a_note():
    park_a, alice, park_b, _bruno = two_parks()
    agreement = proposed(park_a, alice, park_b)
    update_agreement(
        agreement=stored(agreement), is_public=True, confirmation_note="Confirmed by phone."
    )
    agreement.refresh_from_db()
    assert agreement.is_public is True


def test_agreements_staff_record_are_published_as_before():
    agreement = agreement_between(OrganisationFactory(), OrganisationFactory(), is_public=False)
    set_agreement_visibility(agreements=[agreement], public=True, changed_by=None)
    agreement.refresh_from_db()
    assert agreement.is_public is True


def test_a_change_after_confirmation_drops_it_from_the_public_page(client):
    park_a, alice, park_b, bruno = two_parks()
    agreement = proposed(park_a, alice, park_b)
    confirm_agreement(agreement=agreement, organisation=park_b, user=bruno)
    update_agreement(agreement=stored(agreement), is_public=True)
    update_agreement(agreement=stored(agreement), signed_on=datetime.date(2026, 3, 3))
    page = client.get(agreement.get_absolute_url()).content.decode()
    assert "Confirmed by" not in page
    assert "Not confirmed by Beta Innovation Park" in page


# Admin


def test_admin_shows_each_partys_answer_and_filters_by_confirmations(staff_client):
    park_a, alice, park_b, bruno = two_parks()
    waiting = proposed(park_a, alice, park_b, title="Waiting one")
    complete = proposed(park_a, alice, park_b, title="Complete one")
    confirm_agreement(agreement=complete, organisation=park_b, user=bruno)
    ask_correction(agreement=waiting, organisation=park_b, user=bruno, message="Wrong date.")
    page = staff_client.get(
        reverse("admin:agreements_agreement_change", args=[waiting.pk])
    ).content.decode()
    assert "Alpha Science Park: <strong>Confirmed</strong>" in page
    assert "Beta Innovation Park: <strong>Correction asked</strong> — Wrong date." in page
    assert 'name="confirmation_note"' in page
    changelist = reverse("admin:agreements_agreement_changelist")
    listed = staff_client.get(changelist, {"confirmations": "complete"}).content.decode()
    assert "Complete one" in listed
    assert "Waiting one" not in listed
    listed = staff_client.get(changelist, {"confirmations": "waiting"}).content.decode()
    assert "Waiting one" in listed
    assert "Complete one" not in listed


def test_public_page_of_an_agreement_nobody_confirms_says_nothing_of_confirmations(client):
    agreement = agreement_between(OrganisationFactory(), OrganisationFactory())
    page = client.get(agreement.get_absolute_url()).content.decode()
    assert "Confirmations" not in page


@pytest.mark.parametrize("member_record", [False, True])
def test_public_page_and_api_detail_cost_the_same_queries_with_confirmations(
    client, api_client, django_assert_num_queries, member_record
):
    park_a, alice, park_b, bruno = two_parks()
    if member_record:
        agreement = proposed(park_a, alice, park_b)
        confirm_agreement(agreement=agreement, organisation=park_b, user=bruno)
        update_agreement(agreement=stored(agreement), is_public=True)
    else:
        agreement = agreement_between(park_a, park_b)
    contact_of(OrganisationFactory(), "unrelated")
    # As in test_views.py: the agreement, parties, topics, documents, the agreements following it.
    with django_assert_num_queries(5):
        client.get(agreement.get_absolute_url())
    with django_assert_num_queries(5):
        api_client.get(f"/api/v1/agreements/{agreement.slug}/")


def test_mail_keeps_a_title_as_written_in_text_and_escapes_it_in_html(
    django_capture_on_commit_callbacks,
):
    park_a, alice, park_b, bruno = two_parks()
    with django_capture_on_commit_callbacks(execute=True):
        proposed(park_a, alice, park_b, title="R&D <b>together</b>")
    (request,) = mail_to(bruno.email)
    assert "“R&D <b>together</b>”" in request.subject
    assert "“R&D <b>together</b>”" in request.body
    html = request.alternatives[0][0]
    assert "R&amp;D &lt;b&gt;together&lt;/b&gt;" in html
    assert "<b>together</b>" not in html


def test_publishing_in_the_admin_while_adding_a_party_keeps_it_hidden(staff_client):
    park_a, alice, park_b, bruno = two_parks()
    agreement = proposed(park_a, alice, park_b)
    confirm_agreement(agreement=agreement, organisation=park_b, user=bruno)
    newcomer = OrganisationFactory(name="Delta Tech Valley")
    data = admin_change_data(stored(agreement), is_public="on")
    data.update(
        {
            "parties-TOTAL_FORMS": "3",
            "parties-2-organisation": str(newcomer.pk),
            "parties-2-signatory": "",
            "parties-2-reference_number": "",
            "parties-2-order": "2",
        }
    )
    url = reverse("admin:agreements_agreement_change", args=[agreement.pk])
    response = staff_client.post(url, data, follow=True)
    assert "Not every party has confirmed this version" in response.content.decode()
    agreement.refresh_from_db()
    assert agreement.is_public is False
    assert states_of(agreement)["Delta Tech Valley"] == WAITING


def test_a_party_added_by_a_change_is_asked_to_confirm(django_capture_on_commit_callbacks):
    park_a, alice, park_b, bruno = two_parks()
    agreement = proposed(park_a, alice, park_b)
    park_c = OrganisationFactory(name="Gamma Research Campus")
    carla = contact_of(park_c, "carla")
    with django_capture_on_commit_callbacks(execute=True):
        update_proposed_agreement(
            agreement=stored(agreement), user=alice, other_parties=[park_b, park_c]
        )
    assert states_of(agreement) == {
        park_a.name: CONFIRMED,
        park_b.name: WAITING,
        park_c.name: WAITING,
    }
    (asked,) = mail_to(carla.email)
    assert "Alpha Science Park has recorded the agreement" in asked.body
    assert len(mail_to(bruno.email)) == 1
    assert mail_to(alice.email) == []
