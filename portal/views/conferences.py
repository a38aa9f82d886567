"""A conference's page: its programme, speakers and outcomes, and the agreements signed at it."""

import itertools
from typing import Any

from django.views.generic import DetailView

from conferences.models import Conference
from conferences.structured_data import event_json_ld, meta_description, speakers_of

from .. import selectors


class ConferenceDetailView(DetailView):
    template_name = "conferences/conference_detail.html"

    def get_queryset(self):
        return selectors.with_public_agreements(Conference.objects.for_detail(), with_parties=True)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        conference = self.object
        sessions = list(conference.sessions.all())
        # for_detail() found the neighbours in the series (with_editions()); one query loads
        # what their links show.
        edition_ids = {conference.previous_edition_id, conference.next_edition_id} - {None}
        editions = Conference.objects.for_links().in_bulk(edition_ids) if edition_ids else {}
        context.update(
            programme=[
                (day, list(items))
                for day, items in itertools.groupby(sessions, key=lambda s: s.day)
            ],
            speakers=speakers_of(sessions),
            hosts=list(conference.host_links.all()),
            previous_edition=editions.get(conference.previous_edition_id),
            next_edition=editions.get(conference.next_edition_id),
            structured_data=event_json_ld(conference, sessions, self.request),
            meta_description=meta_description(conference),
        )
        return context
