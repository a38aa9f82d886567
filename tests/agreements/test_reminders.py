"""Reminders before an agreement expires: who is told, when, once, and what the mail says."""

import datetime
from io import StringIO

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError

from agreements.models import Agreement, AgreementReminder
from agreements.services.reminders import remind, renewal_url, send_due_reminders
from agreements.tasks import next_run, schedule_daily_reminders
from core.mail import absolute
from members.models import Contact
from tests.agreements.confirmation_support import contact_of
from tests.constraints import violates
from tests.factories import AgreementFactory, OrganisationFactory, UserFactory, agreement_between

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2027, 1, 10)


def days(count: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=count)


@pytest.fixture
def parks():
    """Two parties with a contact each, a third park's contact, and a member of staff."""
    alpha = OrganisationFactory(name="Alpha Science Park")
    beta = OrganisationFactory(name="Beta Innovation Park")
    contact_of(alpha, "alice")
    contact_of(beta, "bruno")
    contact_of(OrganisationFactory(name="Gamma Park"), "gina")
    editor = UserFactory(username="editor")
    editor.user_permissions.add(
        Permission.objects.get(codename="change_agreement", content_type__app_label="agreements")
    )
    UserFactory(username="visitor")  # an account without the permission
    return alpha, beta


def expiring(parks, in_days: int, **kwargs) -> Agreement:
    return agreement_between(
        *parks,
        title=kwargs.pop("title", "Alpha and Beta cooperate"),
        slug=kwargs.pop("slug", "alpha-beta"),
        expires_on=days(in_days),
        **kwargs,
    )


def run(today=TODAY, *, capture) -> list[tuple[str, str]]:
    """Send what is due; the messages queued, as (recipient, subject)."""
    before = len(mail.outbox)
    with capture(execute=True):
        send_due_reminders(today=today)
    return sorted((message.to[0], message.subject) for message in mail.outbox[before:])


def recipients(messages) -> list[str]:
    return [to for to, _subject in messages]


def test_every_party_contact_and_staff_are_told_once_each(
    parks, django_capture_on_commit_callbacks
):
    agreement = expiring(parks, 90)

    messages = run(capture=django_capture_on_commit_callbacks)

    assert recipients(messages) == [
        "alice@example.org",
        "bruno@example.org",
        "editor@example.org",
    ]
    subject = "[IASP] The agreement “Alpha and Beta cooperate” expires on 10 April 2027"
    assert {subject_ for _to, subject_ in messages} == {subject}
    reminder = AgreementReminder.objects.get()
    assert (reminder.agreement, reminder.days_before, reminder.expires_on) == (
        agreement,
        90,
        days(90),
    )
    assert reminder.recipient_count == 3


def test_removed_contacts_and_inactive_accounts_are_not_told(
    parks, django_capture_on_commit_callbacks
):
    alpha, _beta = parks
    expiring(parks, 30)
    Contact.objects.get(user__username="bruno").delete()
    sleeper = contact_of(alpha, "sleeper")
    sleeper.is_active = False
    sleeper.save()

    messages = run(capture=django_capture_on_commit_callbacks)

    assert recipients(messages) == ["alice@example.org", "editor@example.org"]


def test_someone_both_staff_and_contact_gets_one_message(parks, django_capture_on_commit_callbacks):
    alice = Contact.objects.get(user__username="alice").user
    alice.is_superuser = True
    alice.save()
    expiring(parks, 30)

    messages = run(capture=django_capture_on_commit_callbacks)

    assert recipients(messages) == ["alice@example.org", "bruno@example.org", "editor@example.org"]


@pytest.mark.parametrize(
    ("in_days", "expected"),
    [(91, None), (90, 90), (80, 90), (31, 90), (30, 30), (25, 30), (0, 30), (-1, None)],
)
def test_the_reminder_due_is_the_nearest_threshold_passed(
    parks, django_capture_on_commit_callbacks, in_days, expected
):
    expiring(parks, in_days)

    run(capture=django_capture_on_commit_callbacks)

    assert list(AgreementReminder.objects.values_list("days_before", flat=True)) == (
        [expected] if expected else []
    )


def test_each_reminder_is_sent_once_however_often_it_runs(
    parks, django_capture_on_commit_callbacks
):
    expiring(parks, 60)

    first = run(capture=django_capture_on_commit_callbacks)
    again = run(capture=django_capture_on_commit_callbacks)
    next_day = run(days(1), capture=django_capture_on_commit_callbacks)

    assert len(first) == 3
    assert again == []
    assert next_day == []
    assert AgreementReminder.objects.count() == 1


def test_the_thirty_day_reminder_follows_the_ninety_day_one(
    parks, django_capture_on_commit_callbacks
):
    expiring(parks, 90)

    run(capture=django_capture_on_commit_callbacks)
    between = run(days(30), capture=django_capture_on_commit_callbacks)
    thirty = run(days(60), capture=django_capture_on_commit_callbacks)

    assert between == []
    assert len(thirty) == 3
    assert list(AgreementReminder.objects.values_list("days_before", flat=True)) == [90, 30]


def test_a_missed_run_catches_up_with_the_nearest_reminder_only(
    parks, django_capture_on_commit_callbacks
):
    expiring(parks, 25)

    messages = run(capture=django_capture_on_commit_callbacks)

    assert len(messages) == 3
    assert list(AgreementReminder.objects.values_list("days_before", flat=True)) == [30]


@pytest.mark.parametrize(
    "status", [Agreement.Status.DRAFT, Agreement.Status.TERMINATED, Agreement.Status.EXPIRED]
)
def test_drafts_terminated_and_expired_agreements_are_not_reminded(
    parks, django_capture_on_commit_callbacks, status
):
    expiring(parks, 30, status=status, signed_on=datetime.date(2025, 1, 1))

    assert run(capture=django_capture_on_commit_callbacks) == []
    assert not AgreementReminder.objects.exists()


def test_an_agreement_without_expiry_or_renewed_later_is_not_reminded(
    parks, django_capture_on_commit_callbacks
):
    agreement_between(*parks, slug="open-ended", expires_on=None)
    renewed = expiring(parks, 30, slug="renewed")
    renewed.expires_on = days(400)
    renewed.save()

    assert run(capture=django_capture_on_commit_callbacks) == []


def test_a_hidden_agreement_is_reminded_too(parks, django_capture_on_commit_callbacks):
    expiring(parks, 30, is_public=False)

    assert len(run(capture=django_capture_on_commit_callbacks)) == 3


def test_the_mail_names_the_agreement_parties_date_and_links(
    parks, django_capture_on_commit_callbacks
):
    agreement = expiring(parks, 30)

    with django_capture_on_commit_callbacks(execute=True):
        send_due_reminders(today=TODAY)

    by_recipient = {message.to[0]: message for message in mail.outbox}
    contact = by_recipient["alice@example.org"]
    area = absolute(f"/account/agreements/{agreement.slug}/")
    assert contact.body.startswith(
        "The agreement “Alpha and Beta cooperate” expires on 9 February 2027, "
        "in 30 days or less.\n\nParties:\n- Alpha Science Park\n- Beta Innovation Park\n"
    )
    assert f"Open the agreement in the members' area:\n{area}\n" in contact.body
    assert f"propose its renewal:\n{renewal_url(agreement)}\n" in contact.body
    assert "/admin/" not in contact.body
    html = contact.alternatives[0].content
    assert f'<a href="{area}">' in html
    assert "<li>Beta Innovation Park</li>" in html

    staff = by_recipient["editor@example.org"]
    change = absolute(f"/admin/agreements/agreement/{agreement.pk}/change/")
    assert f"Open the agreement in the admin:\n{change}\n" in staff.body
    assert f"Its public page:\n{absolute(agreement.get_absolute_url())}\n" in staff.body
    assert "Record its renewal in the admin:\n" in staff.body
    assert "/account/" not in staff.body


def test_the_renewal_link_is_the_members_area_renewal_form(parks):
    agreement = expiring(parks, 30)

    assert renewal_url(agreement).endswith(f"/account/agreements/{agreement.slug}/renew/")


def test_a_title_is_kept_as_written_in_text_and_escaped_in_html(
    parks, django_capture_on_commit_callbacks
):
    expiring(parks, 30, title="<b>R&D</b> agreement")

    with django_capture_on_commit_callbacks(execute=True):
        send_due_reminders(today=TODAY)

    message = mail.outbox[0]
    assert "“<b>R&D</b> agreement”" in message.body
    assert "“&lt;b&gt;R&amp;D&lt;/b&gt; agreement”" in message.alternatives[0].content


def test_a_reminder_is_recorded_once_per_agreement_and_threshold(parks):
    agreement = expiring(parks, 30)
    AgreementReminder.objects.create(agreement=agreement, days_before=30, expires_on=days(30))

    with violates(
        "agreement_reminder_once",
        sqlite=(
            "agreements_agreementreminder.agreement_id, agreements_agreementreminder.days_before"
        ),
    ):
        AgreementReminder.objects.create(agreement=agreement, days_before=30, expires_on=days(30))


def test_a_reminder_for_another_number_of_days_is_refused(parks):
    with violates("agreement_reminder_days_known"):
        AgreementReminder.objects.create(
            agreement=expiring(parks, 30), days_before=45, expires_on=days(30)
        )


def test_two_runs_at_once_send_the_reminder_once(parks, django_capture_on_commit_callbacks):
    agreement = expiring(parks, 30)
    remind(agreement=agreement, days_before=30)

    with pytest.raises(IntegrityError), django_capture_on_commit_callbacks(execute=True):
        remind(agreement=agreement, days_before=30)

    assert mail.outbox == []  # the second queued nothing; the first is not committed here


def test_one_failing_agreement_does_not_stop_the_others(
    parks, django_capture_on_commit_callbacks, monkeypatch
):
    first = expiring(parks, 30, slug="first")
    expiring(parks, 31, slug="second")
    real = AgreementReminder.objects.create

    def create(**kwargs):
        if kwargs["agreement"] == first:
            raise RuntimeError("disk full")
        return real(**kwargs)

    monkeypatch.setattr(AgreementReminder.objects, "create", create)

    messages = run(capture=django_capture_on_commit_callbacks)

    assert len(messages) == 3
    assert list(AgreementReminder.objects.values_list("agreement__slug", flat=True)) == ["second"]


def test_the_reminder_queries_do_not_grow_with_the_agreements(parks, django_assert_max_num_queries):
    for number in range(4):
        expiring(parks, 30 + number, slug=f"agreement-{number}")

    # Per agreement: the reminder, its contacts, a savepoint's two statements.
    with django_assert_max_num_queries(4 + 4 * 5):
        reminders = send_due_reminders(today=TODAY)

    assert len(reminders.sent) == 4


def test_the_command_sends_what_is_due_and_says_so(parks, django_capture_on_commit_callbacks):
    expiring(parks, 30)
    out = StringIO()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_agreement_reminders", "--today", TODAY.isoformat(), stdout=out)

    assert out.getvalue() == "1 reminders sent (3 messages queued).\n"
    assert len(mail.outbox) == 3


def test_the_command_refuses_a_date_it_cannot_read():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_agreement_reminders", "--today", "tomorrow")


def test_scheduling_with_a_queue_that_runs_at_once_queues_nothing():
    out = StringIO()

    call_command("send_agreement_reminders", "--schedule", stdout=out)

    assert "nothing queued" in out.getvalue()
    assert schedule_daily_reminders() is False


def test_the_daily_run_comes_at_six_the_next_morning():
    from django.utils import timezone

    evening = timezone.make_aware(datetime.datetime(2027, 1, 10, 18, 30))
    dawn = timezone.make_aware(datetime.datetime(2027, 1, 10, 5, 0))

    assert timezone.localtime(next_run(evening)).replace(tzinfo=None) == datetime.datetime(
        2027, 1, 11, 6, 0
    )
    assert timezone.localtime(next_run(dawn)).replace(tzinfo=None) == datetime.datetime(
        2027, 1, 10, 6, 0
    )


def test_the_agreement_admin_lists_the_reminders_sent(admin_client, parks):
    agreement = expiring(parks, 30)
    AgreementReminder.objects.create(
        agreement=agreement, days_before=90, expires_on=days(30), recipient_count=3
    )

    page = admin_client.get(f"/admin/agreements/agreement/{agreement.pk}/change/").text

    assert "90 days before expiry (" in page
    assert ", 3 recipients)" in page


def test_an_agreement_factory_agreement_without_parties_is_reminded_to_staff_only(
    parks, django_capture_on_commit_callbacks
):
    AgreementFactory(expires_on=days(30))

    assert recipients(run(capture=django_capture_on_commit_callbacks)) == ["editor@example.org"]
