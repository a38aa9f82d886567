"""The programme editor's page: who may see and change it, saving, copying and moving."""

import datetime
import re

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext

from members.models import Person

from .. import services
from ..models import Conference, Session
from .forms import (
    LARGEST_ID,
    MOST_DAYS_TO_LIST,
    ProgrammeEditor,
    day_label,
    group_by_day,
    programme_sessions,
)

ACTION = re.compile(r"^(?P<verb>copy|up|down):(?P<pk>[0-9]{1,10})$")


def copy_day(request: HttpRequest, conference: Conference, pk: str) -> datetime.date | None:
    value = request.POST.get(f"copy-{pk}-day", "")
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError:
        return None
    return day if conference.start_date <= day <= conference.end_date else None


def run_action(
    request: HttpRequest, conference: Conference, action: str, can_add: bool
) -> str | None:
    """Copy or move a session once the page is saved; what to tell staff went wrong, if any."""
    match = ACTION.match(action)
    session = None
    if match:
        session = (
            Session.objects.filter(conference=conference, pk=int(match["pk"]))
            .select_related("conference")
            .first()
            if int(match["pk"]) <= LARGEST_ID
            else None
        )
    if session is None:
        return gettext("That session is not in this programme.")
    if match["verb"] == "copy":
        if not can_add:
            return gettext("You may not add sessions.")
        day = copy_day(request, conference, match["pk"])
        if day is None:
            return gettext("Choose a day of the conference to copy the session to.")
        copy = services.copy_session(session=session, day=day)
        messages.success(
            request,
            gettext("“%(title)s” was copied to %(day)s.")
            % {"title": copy.title, "day": day_label(day)},
        )
        return None
    day_sessions = list(
        Session.objects.filter(conference=conference, day=session.day).in_programme_order()
    )
    position = next(n for n, other in enumerate(day_sessions) if other.pk == session.pk)
    neighbour = position - 1 if match["verb"] == "up" else position + 1
    if 0 <= neighbour < len(day_sessions):
        day_sessions[position], day_sessions[neighbour] = (
            day_sessions[neighbour],
            day_sessions[position],
        )
        services.reorder_sessions(sessions=day_sessions)
    return None


def programme_view(
    request: HttpRequest, object_id: str, *, model_admin: admin.ModelAdmin
) -> HttpResponse:
    site = model_admin.admin_site
    session_admin = site.get_model_admin(Session)
    if not session_admin.has_view_permission(request):
        raise PermissionDenied
    conference = model_admin.get_object(request, unquote(object_id))
    if conference is None:
        raise Http404(gettext("No such conference."))
    if not model_admin.has_view_permission(request, conference):
        raise PermissionDenied
    can_edit = session_admin.has_change_permission(request)
    if request.method == "POST" and not can_edit:
        raise PermissionDenied
    sessions = list(programme_sessions(conference))
    url = reverse(f"{site.name}:conferences_conference_programme", args=[conference.pk])
    context = {
        **site.each_context(request),
        "opts": Conference._meta,
        "conference": conference,
        "title": gettext("Programme of %(conference)s") % {"conference": conference},
        "subtitle": None,
        "can_edit": can_edit,
        "has_view_permission": True,
        "programme_url": url,
        "days_listed": len(conference.days) <= MOST_DAYS_TO_LIST,
    }
    if not can_edit:
        context["days"] = group_by_day(conference, sessions, lambda session: session.day)
        context["media"] = forms.Media(css={"all": ["conferences/programme-editor.css"]})
        return TemplateResponse(
            request, "admin/conferences/conference/programme_readonly.html", context
        )
    permissions = {
        "can_add": session_admin.has_add_permission(request),
        "can_delete": session_admin.has_delete_permission(request),
        "can_add_people": site.get_model_admin(Person).has_add_permission(request),
    }
    if request.method == "POST":
        editor = ProgrammeEditor(conference, sessions, request.POST, **permissions)
        error = saved = None
        if editor.is_valid():
            try:
                with transaction.atomic():
                    editor.save()
                    if request.POST.get("action"):
                        error = run_action(
                            request, conference, request.POST["action"], permissions["can_add"]
                        )
                        if error:
                            raise Rollback
                saved = True
            except Rollback:
                pass
            except (ValidationError, IntegrityError) as problem:
                error = gettext("Nothing was saved: %(problem)s") % {
                    "problem": " ".join(getattr(problem, "messages", []))
                    or gettext("two rows of the page conflict (one person twice in the same role).")
                }
        if saved:
            messages.success(request, gettext("The programme was saved."))
            moved = ACTION.match(request.POST.get("action", ""))
            return HttpResponseRedirect(f"{url}#session-{moved['pk']}" if moved else url)
        messages.error(
            request, error or gettext("Nothing was saved: please correct the errors below.")
        )
        editor.name_chosen_records()
    else:
        editor = ProgrammeEditor(conference, sessions, **permissions)
    context.update(editor=editor, days=editor.days(), media=model_admin.media + editor.media)
    # The page's script labels the autocompletes once the admin's script has set them up.
    context["media"] += forms.Media(
        js=["admin/js/autocomplete.js", "conferences/programme-editor.js"],
        css={"all": ["conferences/programme-editor.css"]},
    )
    return TemplateResponse(request, "admin/conferences/conference/programme.html", context)


class Rollback(Exception):
    """Undo the page's changes: a copy or move asked for could not be made."""
