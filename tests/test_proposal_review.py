"""Staff review what members propose: the queue, the review page, approving (the record
changes, its history names who proposed and who approved) and declining (the member is told
why). Only a role that may change proposals decides."""

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from members.models import Proposal
from members.services import (
    approve_proposal,
    propose_organisation_change,
    propose_person_change,
    reject_proposal,
    request_removal,
    update_organisation,
)
from portal.roles import EDITORS, VIEWERS
from tests.account.proposal_support import contact_of, person_with_account, png_upload
from tests.factories import OrganisationFactory, TopicFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


def staff_in(group_name: str, **fields):
    user = UserFactory(is_staff=True, **fields)
    user.groups.add(Group.objects.get(name=group_name))
    return user


def review_url(proposal) -> str:
    return reverse("admin:members_proposal_change", args=[proposal.pk])


QUEUE_URL = "/admin/members/proposal/"


def proposal_of(**organisation_fields):
    user, organisation = contact_of(**organisation_fields)
    proposal = propose_organisation_change(
        organisation=organisation,
        proposed_by=user,
        changes={"description": "A park by the sea."},
    )
    return proposal


# Mail on a new proposal


def test_new_proposal_is_mailed_to_staff_who_may_review(django_capture_on_commit_callbacks):
    editor = staff_in(EDITORS, email="editor@example.org")
    staff_in(VIEWERS, email="viewer@example.org")
    staff_in(EDITORS, email="", username="no-address")
    superuser = UserFactory(is_superuser=True, is_staff=True, email="chief@example.org")
    UserFactory(is_superuser=True, is_active=False, email="gone@example.org")
    user, organisation = contact_of(name="Ideon Science Park")

    with django_capture_on_commit_callbacks(execute=True):
        propose_organisation_change(
            organisation=organisation,
            proposed_by=user,
            changes={"description": "New words."},
            message="New brochure",
        )

    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [editor.email, superuser.email]
    )
    message = mail.outbox[0]
    assert message.subject == "[IASP] A change to Ideon Science Park waits for review"
    assert "International Association of Science Parks and Areas of Innovation" in message.body
    assert "New brochure" in message.body
    assert "/admin/members/proposal/" in message.body
    assert [kind for _body, kind in message.alternatives] == ["text/html"]


# Approving


def test_approval_changes_the_public_page_and_history_names_proposer_and_approver(
    client, staff_user, django_capture_on_commit_callbacks
):
    user, organisation = contact_of(description="A park by the river.")
    user.first_name, user.last_name = "Astrid", "Lind"
    user.save()
    topic = TopicFactory(name="Clean energy")
    proposal = propose_organisation_change(
        organisation=organisation,
        proposed_by=user,
        changes={"description": "A park by the sea."},
        topics=[topic],
        logo=png_upload(),
    )
    client.force_login(staff_user)
    before = client.get(organisation.get_absolute_url()).text

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(review_url(proposal), {"decision": "approve"}, follow=True)

    assert "The proposal is approved" in response.text
    assert "A park by the river." in before
    public = client.get(organisation.get_absolute_url()).text
    assert "A park by the sea." in public
    assert "Clean energy" in public
    organisation.refresh_from_db()
    assert organisation.logo.name.startswith("organisations/logos/")
    assert (organisation.logo_width, organisation.logo_height) == (40, 20)
    assert f'alt="Logo of {organisation.name}"' in public
    entry = organisation.history.order_by("-history_date", "-history_id").first()
    assert entry.history_change_reason == "Proposed by Astrid Lind, approved by staff@example.org"
    assert entry.history_user == staff_user
    assert organisation.history.count() == 2  # created, then the one approved change
    assert [link.topic for link in entry.topics.all()] == [topic]
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.APPROVED
    assert proposal.reviewed_by == staff_user
    assert [message.to for message in mail.outbox] == [[user.email]]
    assert "approved" in mail.outbox[0].subject
    assert reverse("account:proposal-detail", args=[proposal.pk]) in mail.outbox[0].body


def test_approval_of_a_person_changes_bio_and_photo(staff_user):
    user, person = person_with_account(bio="Old bio.", display_consent=True)
    proposal = propose_person_change(
        person=person, proposed_by=user, bio="New bio.", photo=png_upload("me.png")
    )

    approve_proposal(proposal=proposal, reviewer=staff_user)

    person.refresh_from_db()
    assert person.bio == "New bio."
    assert person.photo.name.startswith("people/photos/")
    assert person.history.first().history_change_reason.startswith("Proposed by ")


def test_staff_may_approve_a_record_that_changed_since_and_are_warned(client, staff_user):
    proposal = proposal_of(description="A park by the river.", city="Lund")
    update_organisation(organisation=proposal.organisation, description="Edited by staff.")
    client.force_login(staff_user)

    page = client.get(review_url(proposal))

    assert "Changed since proposed: Description" in page.text
    assert "When proposed: A park by the river." in page.text
    client.post(review_url(proposal), {"decision": "approve"})
    proposal.organisation.refresh_from_db()
    assert proposal.organisation.description == "A park by the sea."


def test_a_decided_proposal_cannot_be_decided_again(staff_user):
    proposal = proposal_of()
    approve_proposal(proposal=proposal, reviewer=staff_user)

    with pytest.raises(ValidationError):
        reject_proposal(proposal=proposal, reviewer=staff_user, message="Too late")
    with pytest.raises(ValidationError):
        approve_proposal(proposal=proposal, reviewer=staff_user)


# Declining


def test_declining_needs_a_message(client, staff_user):
    proposal = proposal_of()
    client.force_login(staff_user)

    response = client.post(review_url(proposal), {"decision": "reject", "review_message": " "})

    assert response.status_code == 200
    assert "Tell the member why the proposal is declined." in response.text
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.PENDING


def test_declining_tells_the_member_why(client, staff_user, django_capture_on_commit_callbacks):
    proposal = proposal_of(description="A park by the river.")
    member = proposal.proposed_by
    client.force_login(staff_user)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            review_url(proposal),
            {"decision": "reject", "review_message": "Please write it in English."},
        )

    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.REJECTED
    assert proposal.organisation.description == "A park by the river."
    assert [message.to for message in mail.outbox] == [[member.email]]
    assert "declined" in mail.outbox[0].subject
    assert "Please write it in English." in mail.outbox[0].body
    client.force_login(member)
    page = client.get(reverse("account:proposal-detail", args=[proposal.pk])).text
    assert "Rejected" in page
    assert "Please write it in English." in page
    area = client.get(
        reverse("account:organisation", kwargs={"slug": proposal.organisation.slug})
    ).text
    assert "Rejected" in area


# Roles


def test_a_viewer_sees_the_review_page_but_cannot_decide(client):
    proposal = proposal_of()
    client.force_login(staff_in(VIEWERS))

    queue = client.get(QUEUE_URL)
    page = client.get(review_url(proposal))
    response = client.post(review_url(proposal), {"decision": "approve"})

    assert queue.status_code == 200
    assert proposal.organisation.name in queue.text
    assert page.status_code == 200
    assert "A park by the sea." in page.text
    assert "Approve" not in page.text
    assert "deciding it needs an editor" in page.text
    assert response.status_code == 403
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.PENDING


def test_an_editor_approves(client):
    editor = staff_in(EDITORS)
    proposal = proposal_of()
    client.force_login(editor)

    response = client.post(review_url(proposal), {"decision": "approve"})

    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.reviewed_by == editor


def test_the_service_refuses_a_reviewer_without_the_permission():
    proposal = proposal_of()

    with pytest.raises(PermissionDenied):
        approve_proposal(proposal=proposal, reviewer=staff_in(VIEWERS))


def test_a_member_contact_cannot_reach_the_queue(client):
    proposal = proposal_of()
    client.force_login(proposal.proposed_by)

    assert client.get(QUEUE_URL).status_code == 302
    assert client.get(review_url(proposal)).status_code == 302


def test_the_queue_has_no_add_and_no_edit_form(client, staff_user):
    proposal = proposal_of()
    client.force_login(staff_user)

    assert client.get(reverse("admin:members_proposal_add")).status_code == 403
    page = client.get(review_url(proposal)).text
    assert 'name="description"' not in page
    assert 'name="decision" value="approve"' in page


# The queue and the review page


def test_queue_lists_waiting_proposals_first(client, staff_user):
    decided = proposal_of(name="Decided Park")
    approve_proposal(proposal=decided, reviewer=staff_user)
    waiting = proposal_of(name="Waiting Park")
    client.force_login(staff_user)

    text = client.get(QUEUE_URL).text

    assert text.index("Waiting Park") < text.index("Decided Park")
    assert waiting.proposed_by.email in text
    pending_only = client.get(QUEUE_URL, {"status__exact": "pending"}).text
    assert "Waiting Park" in pending_only
    assert "Decided Park" not in pending_only


def test_review_page_shows_the_logos_side_by_side(client, staff_user):
    user, organisation = contact_of()
    proposal = propose_organisation_change(
        organisation=organisation, proposed_by=user, changes={}, logo=png_upload()
    )
    client.force_login(staff_user)

    page = client.get(review_url(proposal)).text
    image = client.get(reverse("admin:members_proposal_image", args=[proposal.pk]))

    assert reverse("admin:members_proposal_image", args=[proposal.pk]) in page
    assert image.status_code == 200
    assert image["Content-Type"] == "image/png"
    staff_image = client.get(reverse("account:proposal-image", args=[proposal.pk]))
    assert staff_image.status_code == 200


@pytest.mark.parametrize("count", [1, 6])
def test_queue_query_count_is_fixed(client, staff_user, django_assert_num_queries, count):
    for _ in range(count):
        proposal_of()
    client.force_login(staff_user)

    with django_assert_num_queries(5):
        response = client.get(QUEUE_URL)

    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 6])
def test_review_page_query_count_is_fixed(client, staff_user, django_assert_num_queries, count):
    proposals = [proposal_of() for _ in range(count)]
    proposals[0].organisation.topics.set([TopicFactory(), TopicFactory()])
    client.force_login(staff_user)

    with django_assert_num_queries(4):
        response = client.get(review_url(proposals[0]))

    assert response.status_code == 200


def test_dashboard_counts_the_proposals_waiting(client, staff_user):
    def proposal():
        # Without a contact record: the dashboard's other panels are not under test here.
        return propose_organisation_change(
            organisation=OrganisationFactory(), proposed_by=UserFactory(), changes={"city": "Oslo"}
        )

    proposal()
    proposal()
    approve_proposal(proposal=proposal(), reviewer=staff_user)
    client.force_login(staff_user)

    page = client.get(reverse("admin:index")).text

    assert "2 proposals wait for review" in page
    assert f'href="{QUEUE_URL}?status__exact=pending"' in page


def test_approving_when_the_proposed_image_is_gone_says_so(client, staff_user):
    user, organisation = contact_of(description="Unchanged")
    proposal = propose_organisation_change(
        organisation=organisation,
        proposed_by=user,
        changes={"description": "Changed"},
        logo=png_upload(),
    )
    proposal.image.storage.delete(proposal.image.name)
    client.force_login(staff_user)

    response = client.post(review_url(proposal), {"decision": "approve"})

    assert response.status_code == 200
    assert "The proposed image is missing from storage" in response.text
    organisation.refresh_from_db()
    assert organisation.description == "Unchanged"
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.PENDING


def test_review_page_of_a_persons_proposal_shows_bio_and_photo(client, staff_user):
    user, person = person_with_account(bio="Old bio.")
    proposal = propose_person_change(
        person=person, proposed_by=user, bio="New bio.", photo=png_upload("me.png")
    )
    client.force_login(staff_user)

    page = client.get(review_url(proposal)).text

    assert "Short biography" in page
    assert "Old bio." in page
    assert "New bio." in page
    assert reverse("admin:members_proposal_image", args=[proposal.pk]) in page


def test_approving_a_removal_request_in_the_queue_anonymises_the_person(
    client, staff_user, django_capture_on_commit_callbacks
):
    user, person = person_with_account(name="Ines Duarte", bio="Runs a park in Porto.")
    proposal = request_removal(person=person, requested_by=user, message="Please remove me.")
    client.force_login(staff_user)

    page = client.get(review_url(proposal))
    assert page.status_code == 200
    assert "Ines Duarte" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(review_url(proposal), {"decision": "approve"}, follow=True)

    assert response.status_code == 200
    person.refresh_from_db()
    proposal.refresh_from_db()
    assert person.name == "Removed person"
    assert person.bio == ""
    assert person.removed_at is not None
    assert proposal.status == Proposal.Status.APPROVED
    assert proposal.reviewed_by == staff_user
    assert not type(user).objects.filter(pk=user.pk).exists()
    # The removed account is not written to after its removal.
    assert not [m for m in mail.outbox if user.email in m.to]
    assert "Ines Duarte" not in client.get(QUEUE_URL).content.decode()
