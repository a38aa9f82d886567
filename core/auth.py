"""Who tried to sign in, for django-axes: the admin's form names it "username", the members'
sign-in form "login" (an e-mail address), and django-allauth passes it as "email"."""

from django.http import HttpRequest


def attempted_login(request: HttpRequest, credentials: dict | None) -> str | None:
    credentials = credentials or {}
    for field in ("username", "login", "email"):
        value = credentials.get(field) or (request.POST.get(field) if request else None)
        if value:
            return str(value).strip().lower()[:255]
    return None
