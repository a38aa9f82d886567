import logging

from django.db.models import Count
from django.utils import timezone
from django.views.generic import TemplateView

from agreements.models import Agreement
from conferences.models import Conference
from members.models import Division, Organisation

logger = logging.getLogger(__name__)


class HomeView(TemplateView):
    template_name = "home.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        upcoming = list(
            Conference.objects.published().upcoming(today).for_list().order_by("start_date")[:4]
        )
        next_conference = upcoming[0] if upcoming else None
        members = Organisation.objects.current_members(on=today)
        figures = members.aggregate(
            members=Count("pk", distinct=True), countries=Count("country", distinct=True)
        )
        return super().get_context_data(
            next_conference=next_conference,
            days_to_go=days_until(next_conference, today),
            upcoming=upcoming[1:],
            recent=Conference.objects.published()
            .past(today)
            .for_list()
            .order_by("-start_date")[:3],
            latest_agreements=Agreement.objects.public().for_list()[:4],
            figures={
                **figures,
                "divisions": Division.objects.count(),
                "agreements": Agreement.objects.public().count(),
            },
            **kwargs,
        )


def days_until(conference: Conference | None, today) -> int | None:
    """Days to go, only when the exact start day is known and still ahead."""
    if conference is None or conference.date_precision != Conference.DatePrecision.DAY:
        return None
    days = (conference.start_date - today).days
    return days if days >= 0 else None
