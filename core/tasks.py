"""Deferred work run by the task worker (`manage.py db_worker`): sending e-mail.

A message is rendered in the request that asks for it (core/mail.py) and only its text
travels through the queue, so the worker needs no records and no templates. A mail server that
does not answer costs a retry later, never the request or the save that asked for the mail.
"""

import datetime
import logging
import smtplib
import socket

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)

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
