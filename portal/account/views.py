"""The members' area: what a signed-in member contact or person sees and does."""

from django.views.generic import TemplateView

from members.models import Proposal

from .access import MemberAreaMixin, organisations_of, person_of
from .agreements import waiting_count


class HomeView(MemberAreaMixin, TemplateView):
    """The member's overview: their organisations, their own record, their proposals."""

    template_name = "members_area/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        organisations = organisations_of(user)
        person = person_of(user)
        context |= {
            "organisations": organisations,
            "person": person,
            "proposals": Proposal.objects.filter(proposed_by=user).select_related(
                "organisation", "person"
            )[:20],
            "agreements_waiting": waiting_count(user) if organisations else 0,
        }
        return context
