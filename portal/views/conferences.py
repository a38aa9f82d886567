"""A conference's page: its programme, speakers and outcomes, and the agreements signed at it;
a page per programme item."""

from typing import Any

from django.urls import reverse
from django.views.generic import DetailView

from conferences.models import Conference, Session
from conferences.programme import ProgrammePage, programme_of
from conferences.structured_data import (
    event_json_ld,
    meta_description,
    session_meta_description,
    session_page_json_ld,
    speakers_of,
)
from core.dependencies import PreciseCacheMixin, depends_on_tags

from .. import selectors
from .preview import may_preview


class ConferenceDetailView(PreciseCacheMixin, DetailView):
    template_name = "conferences/conference_detail.html"

    def get_queryset(self):
        conferences = Conference.objects.for_detail()
        if not self.is_preview_allowed():
            conferences = conferences.published()
        return selectors.with_public_agreements(conferences, with_parties=True)

    def is_preview_allowed(self) -> bool:
        return may_preview(self.request.user, Conference)

    def get_object(self, queryset=None):
        conference = super().get_object(queryset)
        selectors.complete_conferences([conference], with_parties=True)
        return conference

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
        depends_on_tags(conference.series_tag)  # the previous and next editions
        sessions = programme_of(conference.pk)
        # A preview shows what publishing would show, and the sessions held back, marked.
        self.is_preview = not conference.is_published or any(
            not session.is_published for session in sessions
        )
        if not self.is_preview_allowed():
            self.is_preview = False
            sessions = [session for session in sessions if session.is_published]
        editions = conference.editions  # the neighbours in the series, as links show them
        page = ProgrammePage(conference, sessions)
        # A compact programme shows only the featured people as cards, and counts everyone.
        featured = page.featured(sessions) if page.compact else None
        speakers = speakers_of(sessions, page.role, only=featured)
        speaker_count = len(
            {appearance.person_id for session in sessions for appearance in session.appearances}
        )
        for speaker in speakers:
            speaker.link = page.person_link(speaker.person, "card__link")
        context.update(
            programme=page.html(sessions) if sessions else "",
            compact_programme=page.compact,
            speakers=speakers,
            speaker_count=speaker_count,
            all_speakers_url=f"{reverse('members:person-list')}?conference={conference.slug}"
            if len(speakers) < speaker_count
            else "",
            hosts=list(conference.host_links.all()),
            previous_edition=editions.previous,
            next_edition=editions.next,
            structured_data=event_json_ld(conference, self.request),
            meta_description=meta_description(conference),
            is_preview=self.is_preview,
            held_back_sessions=[session for session in sessions if not session.is_published],
            admin_url=reverse("admin:conferences_conference_change", args=[conference.pk])
            if self.is_preview
            else "",
        )
        return context


class SessionDetailView(PreciseCacheMixin, DetailView):
    """A programme item's own page. Visitors see published sessions of published conferences;
    staff also see the others, as a preview marked as not public."""

    template_name = "conferences/session_detail.html"
    context_object_name = "session"

    def get_queryset(self):
        sessions = Session.objects.for_page()
        if not may_preview(self.request.user, Session):
            sessions = sessions.published()
        return sessions.filter(conference__slug=self.kwargs["slug"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        session = self.object
        neighbours = Session.objects.filter(conference=session.conference_id)
        if not may_preview(self.request.user, Session):
            neighbours = neighbours.published()
        previous_session, next_session = programme_neighbours(session, neighbours)
        context.update(
            conference=session.conference,
            appearances=list(session.appearances.all()),
            is_preview=not (session.is_published and session.conference.is_published),
            previous_session=previous_session,
            next_session=next_session,
            structured_data=session_page_json_ld(session, self.request),
            meta_description=session_meta_description(session),
        )
        return context


def programme_neighbours(session: Session, sessions) -> tuple[Session | None, Session | None]:
    """The items before and after `session` in its programme's order, in one query."""
    programme = list(sessions.in_programme_order().only("pk", "title", "day", "start_time"))
    position = next(n for n, item in enumerate(programme) if item.pk == session.pk)
    previous_session = programme[position - 1] if position > 0 else None
    next_session = programme[position + 1] if position + 1 < len(programme) else None
    for neighbour in (previous_session, next_session):
        if neighbour is not None:
            neighbour.conference = session.conference  # its address needs the slug
    return previous_session, next_session
