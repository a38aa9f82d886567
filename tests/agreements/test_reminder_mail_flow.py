"""Expiry reminders end to end: the worker's daily task finds the agreement, a real
`db_worker` sends the mail to a real SMTP server (tests/mail_support.py), and the task queues
itself for the next morning."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from agreements.models import AgreementReminder
from agreements.tasks import next_run, send_agreement_reminders_daily
from tests.agreements.confirmation_support import contact_of
from tests.factories import OrganisationFactory, UserFactory, agreement_between
from tests.mail_support import html_of, text_of

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_daily_task_mails_the_parties_and_staff_and_comes_back_tomorrow(
    task_worker, smtp_server
):
    alpha = OrganisationFactory(name="Alpha Science Park")
    beta = OrganisationFactory(name="Beta Innovation Park")
    contact_of(alpha, "alice")
    contact_of(beta, "bruno")
    contact_of(OrganisationFactory(name="Gamma Park"), "gina")
    editor = UserFactory(username="editor")
    editor.user_permissions.add(
        Permission.objects.get(codename="change_agreement", content_type__app_label="agreements")
    )
    expires_on = timezone.localdate() + datetime.timedelta(days=30)
    agreement = agreement_between(
        alpha, beta, title="Alpha and Beta cooperate", slug="alpha-beta", expires_on=expires_on
    )

    send_agreement_reminders_daily.enqueue()

    messages = smtp_server.wait_for(3)
    assert sorted(to for (to,) in smtp_server.recipients[:3]) == [
        "alice@example.org",
        "bruno@example.org",
        "editor@example.org",
    ]
    date = f"{expires_on.day} {expires_on:%B %Y}"
    for message in messages:
        assert message["Subject"].strip() == (
            f"[IASP] The agreement “Alpha and Beta cooperate” expires on {date}"
        )
        assert "- Beta Innovation Park" in text_of(message)
        assert "<li>Alpha Science Park</li>" in html_of(message)
    by_recipient = dict(zip([to for (to,) in smtp_server.recipients], messages, strict=False))
    assert f"/account/agreements/{agreement.slug}/" in text_of(by_recipient["alice@example.org"])
    assert f"/admin/agreements/agreement/{agreement.pk}/change/" in text_of(
        by_recipient["editor@example.org"]
    )
    assert AgreementReminder.objects.get().days_before == 30

    # The run queued the next one, for tomorrow morning; nobody else was written to.
    waiting = DBTaskResult.objects.filter(
        task_path=send_agreement_reminders_daily.module_path, status=TaskResultStatus.READY
    )
    assert [result.run_after for result in waiting] == [next_run()]
    assert len(smtp_server.messages) == 3
