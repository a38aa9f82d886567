"""Members propose changes to their organisation's profile and to their own bio and photo:
what they may send, what they see, and what stays untouched until staff approve."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from members.models import Proposal
from members.services import propose_organisation_change, propose_person_change
from tests.account.proposal_support import (
    contact_of,
    organisation_form,
    person_with_account,
    png_upload,
)
from tests.factories import OrganisationFactory, TopicFactory, UserFactory
from tests.upload_support import image_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


def edit_url(organisation) -> str:
    return reverse("account:organisation-edit", kwargs={"slug": organisation.slug})


def area_url(organisation) -> str:
    return reverse("account:organisation", kwargs={"slug": organisation.slug})


# The service


def test_proposal_keeps_only_the_fields_that_change_and_the_values_before():
    organisation = OrganisationFactory(
        description="A park by the river.", website="https://park.example", city="Lund"
    )
    user, _organisation = contact_of(organisation)

    proposal = propose_organisation_change(
        organisation=organisation,
        proposed_by=user,
        changes={
            "description": "A park by the sea.",
            "website": "https://park.example",
            "city": "Lund",
            "latitude": "55.7",
            "longitude": "13.19",
        },
    )

    assert proposal.changes == {
        "description": "A park by the sea.",
        "latitude": "55.700000",
        "longitude": "13.190000",
    }
    assert proposal.original == {
        "description": "A park by the river.",
        "latitude": None,
        "longitude": None,
    }
    assert proposal.status == Proposal.Status.PENDING
    organisation.refresh_from_db()
    assert organisation.description == "A park by the river."


def test_proposal_stores_topics_as_sorted_slugs():
    organisation = OrganisationFactory()
    organisation.topics.set([TopicFactory(slug="energy")])
    user, _organisation = contact_of(organisation)
    TopicFactory(slug="water")
    TopicFactory(slug="biotech")

    proposal = propose_organisation_change(
        organisation=organisation,
        proposed_by=user,
        changes={},
        topics=["water", "biotech", "energy"],
    )

    assert proposal.changes == {"topics": ["biotech", "energy", "water"]}
    assert proposal.original == {"topics": ["energy"]}


def test_proposal_changing_nothing_is_refused():
    organisation = OrganisationFactory(description="Same")
    user, _organisation = contact_of(organisation)

    with pytest.raises(ValidationError) as refused:
        propose_organisation_change(
            organisation=organisation, proposed_by=user, changes={"description": "Same"}
        )

    assert "Nothing would change" in str(refused.value)
    assert not Proposal.objects.exists()


def test_proposal_is_checked_as_the_record_would_be():
    organisation = OrganisationFactory()
    user, _organisation = contact_of(organisation)

    with pytest.raises(ValidationError) as refused:
        propose_organisation_change(
            organisation=organisation,
            proposed_by=user,
            changes={"latitude": "12.5"},  # without a longitude
        )

    assert refused.value.message_dict == {
        "longitude": ["Give both latitude and longitude, or neither."]
    }


def test_a_new_proposal_replaces_the_one_still_waiting():
    organisation = OrganisationFactory()
    user, _organisation = contact_of(organisation)
    first = propose_organisation_change(
        organisation=organisation, proposed_by=user, changes={"city": "Malmö"}
    )

    second = propose_organisation_change(
        organisation=organisation, proposed_by=user, changes={"city": "Lund"}
    )

    first.refresh_from_db()
    assert first.status == Proposal.Status.WITHDRAWN
    assert second.status == Proposal.Status.PENDING


# The organisation's page in the members' area


def test_area_page_shows_the_organisation_and_its_proposals(client):
    user, organisation = contact_of(description="Our park.")
    propose_organisation_change(
        organisation=organisation, proposed_by=user, changes={"city": "Uppsala"}
    )
    client.force_login(user)

    response = client.get(area_url(organisation))

    assert response.status_code == 200
    assert "Our park." in response.text
    assert "Waiting for review" in response.text
    assert response["Cache-Control"] == "private, no-store"


def test_home_links_to_the_organisation_and_the_proposals(client):
    user, organisation = contact_of()
    proposal = propose_organisation_change(
        organisation=organisation, proposed_by=user, changes={"city": "Uppsala"}
    )
    client.force_login(user)

    response = client.get(reverse("account:home"))

    assert area_url(organisation) in response.text
    assert reverse("account:proposal-detail", args=[proposal.pk]) in response.text


def test_another_organisations_pages_are_not_found(client):
    user, _mine = contact_of()
    other = OrganisationFactory(description="Theirs")
    client.force_login(user)

    assert client.get(area_url(other)).status_code == 404
    assert client.get(edit_url(other)).status_code == 404
    response = client.post(edit_url(other), organisation_form(other, description="Hijacked"))
    assert response.status_code == 404
    assert not Proposal.objects.exists()


def test_anonymous_visitor_is_sent_to_sign_in(client):
    organisation = OrganisationFactory()

    response = client.get(edit_url(organisation))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


# The edit form


def test_edit_form_shows_the_current_values(client):
    user, organisation = contact_of(description="Where ideas grow.", website="https://p.example")
    TopicFactory(name="Clean energy")
    client.force_login(user)

    response = client.get(edit_url(organisation))

    assert response.status_code == 200
    assert "Where ideas grow." in response.text
    assert 'value="https://p.example"' in response.text
    assert 'type="checkbox" name="topics" value="' in response.text
    assert "Clean energy" in response.text


def test_edit_form_shows_the_values_of_the_proposal_still_waiting(client):
    user, organisation = contact_of(description="Old words.")
    propose_organisation_change(
        organisation=organisation, proposed_by=user, changes={"description": "New words."}
    )
    client.force_login(user)

    response = client.get(edit_url(organisation))

    assert "New words." in response.text
    assert "waiting for review" in response.text


def test_sending_the_form_makes_a_proposal_and_leaves_the_public_page_as_it_was(client):
    user, organisation = contact_of(description="Old words.")
    topic = TopicFactory(name="Clean energy", slug="clean-energy")
    client.force_login(user)

    response = client.post(
        edit_url(organisation),
        organisation_form(
            organisation,
            description="New words.",
            topics=["clean-energy"],
            logo=png_upload(),
            message="Our new brand.",
        ),
        follow=True,
    )

    assert response.redirect_chain[-1][0] == area_url(organisation)
    assert "your proposal is sent to the association" in response.text
    proposal = Proposal.objects.get()
    assert proposal.proposed_by == user
    assert proposal.changes == {"description": "New words.", "topics": [topic.slug], "logo": True}
    assert proposal.message == "Our new brand."
    assert proposal.image.name.startswith("proposals/")
    public = client.get(organisation.get_absolute_url()).text
    assert "Old words." in public
    assert "New words." not in public
    assert "Clean energy" not in public
    organisation.refresh_from_db()
    assert not organisation.logo


def test_sending_the_form_unchanged_says_so(client):
    user, organisation = contact_of(description="Same words.")
    client.force_login(user)

    response = client.post(edit_url(organisation), organisation_form(organisation))

    assert response.status_code == 200
    assert "Nothing would change" in response.text
    assert not Proposal.objects.exists()


HOSTILE_VALUES = {
    "bad URL": ({"website": "javascript:alert(1)"}, "website", "Enter a valid URL."),
    "latitude 200": (
        {"latitude": "200", "longitude": "10"},
        "latitude",
        "less than or equal to 90",
    ),
    "latitude not a number": (
        {"latitude": "north", "longitude": "10"},
        "latitude",
        "Enter a number.",
    ),
    "bad e-mail": ({"contact_email": "not an address"}, "contact_email", "valid email"),
    "null character": ({"description": "a\x00b"}, "description", "Null characters"),
}


@pytest.mark.parametrize(
    ("values", "field", "error"), HOSTILE_VALUES.values(), ids=list(HOSTILE_VALUES)
)
def test_hostile_values_are_refused_beside_their_field(client, values, field, error):
    user, organisation = contact_of()
    client.force_login(user)

    response = client.post(edit_url(organisation), organisation_form(organisation, **values))

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors
    assert error in " ".join(errors[field])
    assert not Proposal.objects.exists()


SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'

HOSTILE_IMAGES = {
    "PNG that is not an image": ("logo.png", b"\x89PNG\r\n\x1a\nnot really", "not a valid image"),
    "SVG": ("logo.svg", SVG, "not a valid image"),
    "BMP": ("logo.bmp", image_bytes("BMP"), "not BMP"),
    "too many pixels": ("logo.png", image_bytes("PNG", (60, 60)), "which is too large"),
}


@pytest.mark.parametrize(
    ("name", "content", "error"), HOSTILE_IMAGES.values(), ids=list(HOSTILE_IMAGES)
)
def test_hostile_logos_are_refused_beside_the_logo_field(client, settings, name, content, error):
    settings.MAX_IMAGE_PIXELS = 50 * 50
    user, organisation = contact_of()
    client.force_login(user)

    response = client.post(
        edit_url(organisation),
        organisation_form(organisation, description="New", logo=SimpleUploadedFile(name, content)),
    )

    assert response.status_code == 200
    assert error in " ".join(response.context["form"].errors["logo"])
    assert not Proposal.objects.exists()


def test_a_logo_over_the_size_limit_is_refused(client, settings):
    settings.MAX_IMAGE_UPLOAD_BYTES = 100
    user, organisation = contact_of()
    client.force_login(user)

    response = client.post(
        edit_url(organisation), organisation_form(organisation, logo=png_upload(size=(200, 200)))
    )

    assert "the limit is" in " ".join(response.context["form"].errors["logo"])
    assert not Proposal.objects.exists()


def test_the_service_refuses_a_bad_logo_on_its_field():
    user, organisation = contact_of()

    with pytest.raises(ValidationError) as refused:
        propose_organisation_change(
            organisation=organisation,
            proposed_by=user,
            changes={},
            logo=SimpleUploadedFile("logo.svg", SVG),
        )

    assert list(refused.value.message_dict) == ["logo"]


def test_form_cannot_be_pointed_at_another_record(client):
    user, organisation = contact_of(description="Mine")
    other = OrganisationFactory(description="Theirs")
    client.force_login(user)

    client.post(
        edit_url(organisation),
        organisation_form(
            organisation, description="Changed", organisation=str(other.pk), slug=other.slug
        ),
    )

    proposal = Proposal.objects.get()
    assert proposal.organisation == organisation
    assert proposal.person is None


# One proposal's page


def test_proposal_page_shows_state_and_the_change(client):
    user, organisation = contact_of(description="Old words.")
    proposal = propose_organisation_change(
        organisation=organisation, proposed_by=user, changes={"description": "New words."}
    )
    client.force_login(user)

    response = client.get(reverse("account:proposal-detail", args=[proposal.pk]))

    assert response.status_code == 200
    assert "Waiting for review" in response.text
    assert "Old words." in response.text
    assert "New words." in response.text
    assert "Withdraw this proposal" in response.text


def test_proposer_withdraws_a_waiting_proposal(client):
    user, organisation = contact_of()
    proposal = propose_organisation_change(
        organisation=organisation, proposed_by=user, changes={"city": "Umeå"}
    )
    client.force_login(user)

    response = client.post(reverse("account:proposal-withdraw", args=[proposal.pk]), follow=True)

    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.WITHDRAWN
    assert "Your proposal is withdrawn." in response.text
    assert "Withdraw this proposal" not in response.text

    again = client.post(reverse("account:proposal-withdraw", args=[proposal.pk]), follow=True)
    assert "already withdrawn" in again.text


def test_another_members_proposal_is_not_found(client):
    owner, organisation = contact_of()
    proposal = propose_organisation_change(
        organisation=organisation,
        proposed_by=owner,
        changes={"city": "Umeå"},
        logo=png_upload(),
    )
    stranger, _theirs = contact_of()
    client.force_login(stranger)

    assert client.get(reverse("account:proposal-detail", args=[proposal.pk])).status_code == 404
    assert client.get(reverse("account:proposal-image", args=[proposal.pk])).status_code == 404
    withdraw = client.post(reverse("account:proposal-withdraw", args=[proposal.pk]))
    assert withdraw.status_code == 404
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.PENDING


def test_another_contact_of_the_same_organisation_sees_but_cannot_withdraw(client):
    owner, organisation = contact_of()
    proposal = propose_organisation_change(
        organisation=organisation, proposed_by=owner, changes={"city": "Umeå"}
    )
    colleague, _same = contact_of(organisation)
    client.force_login(colleague)

    page = client.get(reverse("account:proposal-detail", args=[proposal.pk]))
    withdraw = client.post(reverse("account:proposal-withdraw", args=[proposal.pk]))

    assert page.status_code == 200
    assert "Withdraw this proposal" not in page.text
    assert withdraw.status_code == 404
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.PENDING


def test_proposer_sees_the_proposed_image_privately(client):
    user, organisation = contact_of()
    proposal = propose_organisation_change(
        organisation=organisation, proposed_by=user, changes={}, logo=png_upload()
    )
    client.force_login(user)

    response = client.get(reverse("account:proposal-image", args=[proposal.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


def test_proposed_image_is_not_found_for_anonymous_visitors_and_after_removal(client):
    user, organisation = contact_of()
    proposal = propose_organisation_change(
        organisation=organisation, proposed_by=user, changes={}, logo=png_upload()
    )
    url = reverse("account:proposal-image", args=[proposal.pk])

    assert client.get(url).status_code == 302  # to the sign-in page
    user.member_contacts.all().delete()
    client.force_login(user)
    assert client.get(url).status_code == 404


# A person's own profile


def test_profile_edit_is_not_found_without_a_linked_person(client):
    client.force_login(UserFactory())

    assert client.get(reverse("account:profile-edit")).status_code == 404


def test_person_proposes_a_new_bio_and_photo(client):
    user, person = person_with_account(bio="I build parks.")
    client.force_login(user)

    page = client.get(reverse("account:profile-edit"))
    response = client.post(
        reverse("account:profile-edit"),
        {"bio": "I build science parks.", "photo": png_upload("me.png"), "message": ""},
        follow=True,
    )

    assert "I build parks." in page.text
    proposal = Proposal.objects.get()
    assert response.redirect_chain[-1][0] == reverse("account:proposal-detail", args=[proposal.pk])
    assert proposal.person == person
    assert proposal.changes == {"bio": "I build science parks.", "photo": True}
    assert "I build science parks." in response.text
    person.refresh_from_db()
    assert person.bio == "I build parks."


def test_person_proposal_refuses_a_file_that_is_not_an_image():
    user, person = person_with_account()

    with pytest.raises(ValidationError) as refused:
        propose_person_change(
            person=person, proposed_by=user, photo=SimpleUploadedFile("me.png", b"GIF89a")
        )

    assert list(refused.value.message_dict) == ["photo"]


@pytest.mark.parametrize("count", [1, 5])
def test_area_page_query_count_is_fixed(client, django_assert_num_queries, count):
    user, organisation = contact_of()
    for index in range(count):
        propose_organisation_change(
            organisation=organisation, proposed_by=user, changes={"city": f"City {index}"}
        )
    client.force_login(user)

    with django_assert_num_queries(5):
        response = client.get(area_url(organisation))

    assert response.text.count("account/proposals/") == count


def test_line_breaks_as_browsers_send_them_are_no_change(client):
    user, organisation = contact_of(description="First line.\nSecond line.\n", city="Lund")
    client.force_login(user)

    client.post(
        edit_url(organisation),
        organisation_form(organisation, description="First line.\r\nSecond line.", city="Malmö"),
    )

    assert Proposal.objects.get().changes == {"city": "Malmö"}


def test_a_replacing_proposal_keeps_the_waiting_logo_unless_dropped(client):
    user, organisation = contact_of(description="Old")
    first = propose_organisation_change(
        organisation=organisation, proposed_by=user, changes={}, logo=png_upload()
    )
    client.force_login(user)

    client.post(edit_url(organisation), organisation_form(organisation, description="New"))
    kept = Proposal.objects.pending().get()
    client.post(
        edit_url(organisation),
        organisation_form(organisation, description="Newer", drop_pending_image="on"),
    )
    dropped = Proposal.objects.pending().get()

    assert kept.pk != first.pk
    assert kept.changes == {"description": "New", "logo": True}
    assert kept.image.read().startswith(b"\x89PNG")
    assert dropped.changes == {"description": "Newer"}
    assert not dropped.image
