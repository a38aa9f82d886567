"""Who may do what in the members' area. Every view asks here, at every request: a contact
that staff remove, or an account made inactive, loses access at once."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpRequest

from members.models import Contact, Organisation, Person


def organisations_of(user) -> list[Organisation]:
    """The organisations the user is a contact of, by name."""
    return [
        contact.organisation
        for contact in Contact.objects.of_user(user).select_related("organisation")
    ]


def organisation_of(user, slug: str) -> Organisation:
    """One of the user's organisations, or 404: another's is never even said to exist."""
    contact = (
        Contact.objects.of_user(user)
        .select_related("organisation")
        .filter(organisation__slug=slug)
        .first()
    )
    if contact is None:
        raise Http404
    return contact.organisation


def person_of(user) -> Person | None:
    """The person record linked to the user's account, if any (never a removed one)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    return Person.objects.filter(user=user, removed_at__isnull=True).first()


def is_member(user) -> bool:
    return Contact.objects.of_user(user).exists() or person_of(user) is not None


class MemberAreaMixin(LoginRequiredMixin):
    """A signed-in user; the views narrow what they show to the user's own records."""

    def dispatch(self, request: HttpRequest, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        # Private to the user: never cached by a proxy, never indexed.
        response["Cache-Control"] = "private, no-store"
        response["X-Robots-Tag"] = "noindex"
        return response
