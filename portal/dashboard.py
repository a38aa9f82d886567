"""The admin's front page: what needs attention now, each item a link to the filtered list
that shows exactly those rows. A panel is shown only to staff who may view its records."""

import datetime
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.db.models import Count, IntegerField, Model, Value
from django.http import HttpRequest
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from agreements.admin import AgreementExpiringFilter
from agreements.models import Agreement
from conferences.admin import ProgrammeGapFilter
from conferences.models import Conference, Session
from core.admin import ChangedFilter
from members.admin import MembershipEndingFilter
from members.models import Membership, Proposal

from .admin_site import menu_name

MAX_DAYS_NAMED = 5  # a longer event's empty days are counted, the first few named


@dataclass
class Item:
    text: str
    count: int | None = None
    url: str = ""


@dataclass
class Panel:
    key: str
    title: str
    items: list[Item] = field(default_factory=list)
    empty: str = ""  # said when nothing needs attention


def changelist_url(model: type[Model], **params: object) -> str:
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    return f"{url}?{urlencode(params)}" if params else url


def may_view(request: HttpRequest, model: type[Model]) -> bool:
    opts = model._meta
    return request.user.has_perm(f"{opts.app_label}.view_{opts.model_name}")


def dashboard_panels(request: HttpRequest, today: datetime.date | None = None) -> list[Panel]:
    today = today or timezone.localdate()
    panels = []
    if may_view(request, Conference):
        panels.append(draft_panel())
        if may_view(request, Session):
            panels.append(programme_panel(today))
    if may_view(request, Membership):
        panels.append(membership_panel(today))
    if may_view(request, Agreement):
        panels.append(agreement_panel(today))
    if may_view(request, Proposal):
        panels.append(proposal_panel())
    changed = changed_today_panel(request, today)
    if changed is not None:
        panels.append(changed)
    return panels


def draft_panel() -> Panel:
    count = Conference.objects.drafts().count()
    panel = Panel("drafts", _("Draft conferences"), empty=_("Every conference is published."))
    if count:
        panel.items.append(
            Item(
                ngettext(
                    "%(count)d conference not yet published",
                    "%(count)d conferences not yet published",
                    count,
                )
                % {"count": count},
                count,
                changelist_url(Conference, is_published__exact=0),
            )
        )
    return panel


def programme_panel(today: datetime.date) -> Panel:
    conference = Conference.objects.upcoming(today).order_by("start_date", "pk").first()
    if conference is None:
        return Panel("programme", _("Next conference"), empty=_("No conference is planned."))
    panel = Panel(
        "programme",
        _("Programme of %(conference)s") % {"conference": conference},
        empty=_("Nothing is missing from the programme."),
    )
    sessions = Session.objects.filter(conference=conference)
    if conference.date_precision == Conference.DatePrecision.DAY:
        days_with_sessions = set(sessions.order_by().values_list("day", flat=True).distinct())
        days = [
            conference.start_date + datetime.timedelta(days=offset)
            for offset in range((conference.end_date - conference.start_date).days + 1)
        ]
        empty_days = [day for day in days if day not in days_with_sessions]
        if empty_days:
            panel.items.append(empty_days_item(conference, empty_days))
    gaps = sessions.aggregate(
        **{
            key: Count("pk", filter=condition)
            for key, (_label, condition) in ProgrammeGapFilter.GAPS.items()
        }
    )
    for key, count in gaps.items():
        if not count:
            continue
        texts = {
            "speakers": ngettext(
                "%(count)d session without speakers",
                "%(count)d sessions without speakers",
                count,
            ),
            "times": ngettext(
                "%(count)d session without a start time",
                "%(count)d sessions without a start time",
                count,
            ),
            "room": ngettext(
                "%(count)d session without a room or place",
                "%(count)d sessions without a room or place",
                count,
            ),
        }
        panel.items.append(
            Item(
                texts[key] % {"count": count},
                count,
                changelist_url(
                    Session,
                    conference__id__exact=conference.pk,
                    **{ProgrammeGapFilter.parameter_name: key},
                ),
            )
        )
    return panel


def empty_days_item(conference: Conference, empty_days: list[datetime.date]) -> Item:
    shown = ", ".join(formats.date_format(day, "j F") for day in empty_days[:MAX_DAYS_NAMED])
    if len(empty_days) > MAX_DAYS_NAMED:
        shown = _("%(days)s and %(more)d more") % {
            "days": shown,
            "more": len(empty_days) - MAX_DAYS_NAMED,
        }
    opts = Conference._meta
    return Item(
        ngettext(
            "A day without sessions: %(days)s",
            "%(count)d days without sessions: %(days)s",
            len(empty_days),
        )
        % {"count": len(empty_days), "days": shown},
        len(empty_days),
        reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[conference.pk])
        + "#sessions-group",
    )


def membership_panel(today: datetime.date) -> Panel:
    days = MembershipEndingFilter.DAYS
    count = Membership.objects.filter(MembershipEndingFilter.condition(today)).count()
    panel = Panel(
        "memberships",
        _("Memberships"),
        empty=_("No membership ends within %(days)d days.") % {"days": days},
    )
    if count:
        panel.items.append(
            Item(
                ngettext(
                    "%(count)d membership ends within %(days)d days",
                    "%(count)d memberships end within %(days)d days",
                    count,
                )
                % {"count": count, "days": days},
                count,
                changelist_url(Membership, **{MembershipEndingFilter.parameter_name: days}),
            )
        )
    return panel


def proposal_panel() -> Panel:
    count = Proposal.objects.pending().count()
    panel = Panel(
        "proposals", _("Proposals from members"), empty=_("No proposal waits for review.")
    )
    if count:
        panel.items.append(
            Item(
                ngettext(
                    "%(count)d proposal waits for review",
                    "%(count)d proposals wait for review",
                    count,
                )
                % {"count": count},
                count,
                changelist_url(Proposal, status__exact=Proposal.Status.PENDING),
            )
        )
    return panel


def agreement_panel(today: datetime.date) -> Panel:
    days = AgreementExpiringFilter.DAYS
    count = Agreement.objects.filter(AgreementExpiringFilter.condition(today)).count()
    panel = Panel(
        "agreements",
        _("Agreements"),
        empty=_("No agreement expires within %(days)d days.") % {"days": days},
    )
    if count:
        panel.items.append(
            Item(
                ngettext(
                    "%(count)d agreement expires within %(days)d days",
                    "%(count)d agreements expire within %(days)d days",
                    count,
                )
                % {"count": count, "days": days},
                count,
                changelist_url(Agreement, **{AgreementExpiringFilter.parameter_name: days}),
            )
        )
    return panel


def changed_today_panel(request: HttpRequest, today: datetime.date) -> Panel | None:
    """How many records of each kind were changed today, counted in one query."""
    models = [
        model
        for label in settings.RECORD_APPS
        for model in apps.get_app_config(label).get_models()
        if hasattr(model._meta, "simple_history_manager_attribute") and may_view(request, model)
    ]
    if not models:
        return None
    since = ChangedFilter.start_of(today)
    counts = [
        ChangedFilter.changed_records(model, since)
        .annotate(dashboard_kind=Value(index, output_field=IntegerField()))
        .values("dashboard_kind")
        .annotate(dashboard_count=Count("pk"))
        .values_list("dashboard_kind", "dashboard_count")
        .order_by()
        for index, model in enumerate(models)
    ]
    rows = dict(counts[0].union(*counts[1:], all=True)) if len(counts) > 1 else dict(counts[0])
    panel = Panel("changed", _("Changed today"), empty=_("No record has been changed today."))
    for index, model in enumerate(models):
        count = rows.get(index, 0)
        if count:
            panel.items.append(
                Item(
                    f"{menu_name(model)}: {count}",
                    count,
                    changelist_url(model, **{ChangedFilter.parameter_name: "today"}),
                )
            )
    return panel
