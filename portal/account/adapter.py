"""django-allauth, as the members' area uses it: nobody signs up unasked (staff invite
contacts, portal/account/invitations.py), and allauth's mail goes out through the task queue like
all the portal's mail (core/mail.py)."""

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.http import HttpRequest

from core.mail import mail_context, send_rendered_mail


class MembersAccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        message = self.render_mail(template_prefix, email, mail_context(context))
        html = next(
            (body for body, kind in getattr(message, "alternatives", []) if kind == "text/html"),
            "",
        )
        send_rendered_mail(to=message.to, subject=message.subject, text=message.body, html=html)

    def format_email_subject(self, subject: str) -> str:
        return f"[{settings.ASSOCIATION_SHORT_NAME}] {subject}"


def user_display(user) -> str:
    """How allauth's messages name a member: their name, else their address (never the
    generated user name)."""
    return user.get_full_name() or user.email or user.get_username()
