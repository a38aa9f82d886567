"""A conference's page: its programme, speakers and outcomes, and the agreements signed at it."""

import itertools
from typing import Any

from django.contrib.auth import get_permission_codename
from django.urls import reverse
from django.views.generic import DetailView

from conferences.models import Conference
from conferences.structured_data import event_json_ld, meta_description, speakers_of

from .. import selectors


class ConferenceDetailView(DetailView):
    template_name = "conferences/conference_detail.html"

    def get_queryset(self):
        conferences = Conference.objects.for_detail()
        if not self.is_preview_allowed():
            conferences = conferences.published()
        return selectors.with_public_agreements(conferences, with_parties=True)

    def is_preview_allowed(self) -> bool:
        """Staff who may view conferences in the admin see drafts on their real page."""
        user = self.request.user
        opts = Conference._meta
        return user.is_staff and user.has_perm(
            f"{opts.app_label}.{get_permission_codename('view', opts)}"
        )

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if self.is_preview:
            # A preview is for the one who asked: no shared cache keeps it, no robot lists it.
            response["Cache-Control"] = "private, no-store"
            response["X-Robots-Tag"] = "noindex"
        return response

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        conference = self.object
        sessions = list(conference.sessions.all())
        # A preview shows what publishing would show, and the sessions held back, marked.
        self.is_preview = not conference.is_published or any(
            not session.is_published for session in sessions
        )
        if not self.is_preview_allowed():
            self.is_preview = False
            sessions = [session for session in sessions if session.is_published]
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
            is_preview=self.is_preview,
            held_back_sessions=[session for session in sessions if not session.is_published],
            admin_url=reverse("admin:conferences_conference_change", args=[conference.pk])
            if self.is_preview
            else "",
        )
        return context
