import logging

from django.utils import timezone
from django.views.generic import TemplateView

from agreements.models import Agreement
from conferences.models import Conference

from ..selectors import home_figures

logger = logging.getLogger(__name__)


class HomeView(TemplateView):
    template_name = "home.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        # The next conference is the soonest with known days; one known only by its month or
        # year comes after them, whenever it may fall.
        upcoming = list(
            Conference.objects.published().upcoming(today).for_list().soonest_known_first()[:4]
        )
        next_conference = upcoming[0] if upcoming else None
        return super().get_context_data(
            next_conference=next_conference,
            upcoming=sorted(upcoming[1:], key=lambda conference: conference.start_date),
            recent=Conference.objects.published()
            .past(today)
            .for_list()
            .order_by("-start_date", "-pk")[:3],
            latest_agreements=Agreement.objects.public().for_list()[:4],
            figures=home_figures(),
            **kwargs,
        )
