"""E-mail from the portal: each message rendered from three templates, in plain text and
HTML, in the recipient's language, and handed to the task queue once the transaction that
asked for it commits (a rolled-back save sends nothing; a failing queue never fails a save).

    send_templated_mail("members/email/invitation", to=["a@example.org"], context={...})

renders `<name>_subject.txt`, `<name>.txt` and `<name>.html`. Every template sees `site_name`,
`association_name`, `association_short_name` and `site_url`.
"""

import logging
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from .tasks import send_email

logger = logging.getLogger(__name__)


def site_url() -> str:
    """The portal's address for links in mail: SITE_URL, else the first allowed host."""
    if configured := getattr(settings, "SITE_URL", ""):
        return configured.rstrip("/")
    host = next((h for h in settings.ALLOWED_HOSTS if h not in ("*", "")), "localhost")
    host = host.lstrip(".")
    scheme = settings.ACCOUNT_DEFAULT_HTTP_PROTOCOL
    return f"{scheme}://{host}"


def absolute(path: str) -> str:
    return path if "://" in path else f"{site_url()}{path}"


def mail_context(context: dict | None = None) -> dict:
    return {
        "site_name": settings.SITE_NAME,
        "association_name": settings.ASSOCIATION_NAME,
        "association_short_name": settings.ASSOCIATION_SHORT_NAME,
        "site_url": site_url(),
        **(context or {}),
    }


def render_mail(template: str, context: dict | None = None) -> tuple[str, str, str]:
    """Subject (one line, prefixed with the association's short name), text, HTML."""
    context = mail_context(context)
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    subject = f"[{settings.ASSOCIATION_SHORT_NAME}] {subject}"
    text = render_to_string(f"{template}.txt", context)
    html = render_to_string(f"{template}.html", context)
    return subject, text, html


def send_rendered_mail(*, to: Iterable[str], subject: str, text: str, html: str = "") -> None:
    """One message per recipient, so that nobody learns another's address."""
    recipients = sorted({address.strip() for address in to if address and address.strip()})

    def enqueue() -> None:
        for recipient in recipients:
            try:
                send_email.enqueue(to=[recipient], subject=subject, text=text, html=html)
            except Exception:  # the queue is down: the record is saved; the loss is logged
                logger.exception("Could not queue the message %r to %s", subject, recipient)

    if recipients:
        transaction.on_commit(enqueue)


def send_templated_mail(
    template: str,
    *,
    to: Iterable[str],
    context: dict | None = None,
    language: str | None = None,
) -> None:
    """Render `template` once and send it to each recipient on their own."""
    with translation.override(language or settings.LANGUAGE_CODE):
        subject, text, html = render_mail(template, context)
    send_rendered_mail(to=to, subject=subject, text=text, html=html)
