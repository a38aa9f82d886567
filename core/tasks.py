"""Deferred work run by the task worker (`manage.py db_worker`): sending e-mail, and asking
for work once after a burst of changes (`enqueue_debounced`, `once_per_transaction`).

A message is rendered in the request that asks for it (core/mail.py) and only its text
travels through the queue, so the worker needs no records and no templates. A mail server that
does not answer costs a retry later, never the request or the save that asked for the mail.
"""

import datetime
import logging
import smtplib
import socket
import time
from collections.abc import Callable

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from .cache import cache_is_down, safe_add

logger = logging.getLogger(__name__)


def enqueue_debounced(work, *, key: str, delay: int, what: str, **kwargs) -> None:
    """Queue `work(**kwargs)` to run in `delay` seconds, unless it is already on its way.

    A key in the cache says it is: the changes saved before it runs are in it, so a burst of
    saves asks once. The key lapses a second before the work may start; a change after that
    asks again. While the cache does not answer every caller asks, and the work must skip
    what a run begun since has made needless. A queue that runs each task at once cannot
    wait: every caller then runs it. A queue that does not answer is logged (`what` names the
    work), never raised: the save that asked is kept all the same.
    """
    if delay > 0 and work.get_backend().supports_defer:
        already_scheduled = delay > 1 and not safe_add(key, time.time(), delay - 1)
        if already_scheduled and not cache_is_down():
            return
        work = work.using(run_after=timezone.now() + datetime.timedelta(seconds=delay))
    try:
        work.enqueue(**kwargs)
    except Exception:
        logger.exception("%s could not be queued", what)


def once_per_transaction(schedule: Callable[[], None]) -> None:
    """Call `schedule` once the current transaction commits, once however many rows it
    wrote (at once outside a transaction)."""
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(
        entry[1] is schedule for entry in connection.run_on_commit
    ):
        return
    transaction.on_commit(schedule)


# What a mail server that is down, slow or refusing looks like: worth another try.
TRANSIENT_ERRORS = (smtplib.SMTPException, socket.timeout, ConnectionError, OSError)


@task()
def send_email(
    *,
    to: list[str],
    subject: str,
    text: str,
    html: str = "",
    from_email: str = "",
    reply_to: list[str] | None = None,
    attempt: int = 1,
) -> int:
    """Send one message; on a transient failure, enqueue the next try after a growing pause."""
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=from_email or settings.DEFAULT_FROM_EMAIL,
        to=to,
        reply_to=reply_to or [],
    )
    if html:
        message.attach_alternative(html, "text/html")
    try:
        return message.send()
    except TRANSIENT_ERRORS as error:
        if attempt >= settings.EMAIL_SEND_ATTEMPTS:
            logger.error("Gave up sending %r after %d tries: %s", subject, attempt, error)
            raise
        pause = settings.EMAIL_RETRY_SECONDS * 2 ** (attempt - 1)
        logger.warning("Sending %r failed (%s); trying again in %d s", subject, error, pause)
        retry = send_email
        if retry.get_backend().supports_defer:
            retry = retry.using(run_after=timezone.now() + datetime.timedelta(seconds=pause))
        retry.enqueue(
            to=to,
            subject=subject,
            text=text,
            html=html,
            from_email=from_email,
            reply_to=reply_to,
            attempt=attempt + 1,
        )
        return 0
