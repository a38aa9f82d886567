"""Mail leaves through the task queue: a real `db_worker` process sends it to a real SMTP
server, both started by the tests (tests/mail_support.py)."""

import time

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from core.mail import send_rendered_mail

from .mail_support import Worker, free_port, html_of, text_of

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_worker_sends_queued_mail_over_smtp(task_worker, smtp_server):
    send_rendered_mail(
        to=["ana@park.example", "ben@park.example"],
        subject="[IASP] Your invitation",
        text="Plain words.",
        html="<p>Rich words.</p>",
    )

    messages = smtp_server.wait_for(2)

    # One message per recipient: nobody sees another's address.
    assert sorted(smtp_server.recipients) == [["ana@park.example"], ["ben@park.example"]]
    for message in messages:
        assert message["Subject"] == "[IASP] Your invitation"
        assert len(message.get_all("To")) == 1
        assert text_of(message).strip() == "Plain words."
        assert "<p>Rich words.</p>" in html_of(message)


def test_nothing_is_sent_when_the_saving_transaction_rolls_back(task_worker, smtp_server):
    with pytest.raises(RuntimeError), transaction.atomic():
        send_rendered_mail(to=["ana@park.example"], subject="Never", text="Never.")
        raise RuntimeError("the save failed")
    send_rendered_mail(to=["ana@park.example"], subject="After", text="After.")

    assert [m["Subject"] for m in smtp_server.wait_for(1)] == ["After"]
    time.sleep(1)
    assert len(smtp_server.messages) == 1


def test_a_mail_server_that_does_not_answer_costs_a_retry_not_the_request():
    """The worker meets a closed port, queues the next try, and sends once a server listens."""
    from aiosmtpd.controller import Controller
    from django.test import override_settings

    from .mail_support import DATABASE_TASKS, Mailbox

    port = free_port()  # nothing listens here yet
    worker = Worker(port).start()
    try:
        with override_settings(TASKS=DATABASE_TASKS):
            send_rendered_mail(to=["ana@park.example"], subject="Patience", text="Later.")

        deadline = time.monotonic() + 60
        while not DBTaskResult.objects.filter(args_kwargs__kwargs__attempt=2).exists():
            assert time.monotonic() < deadline, "the failed send was not queued again"
            time.sleep(0.2)
        # The first try ended without failing the task; the next one waits its turn.
        assert DBTaskResult.objects.count() == 2
        assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 1

        mailbox = Mailbox()
        controller = Controller(mailbox, hostname="127.0.0.1", port=port)
        controller.start()
        try:
            (message,) = mailbox.wait_for(1)
        finally:
            controller.stop()
    finally:
        worker.stop()
    assert message["Subject"] == "Patience"
