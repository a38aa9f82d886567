"""Conferences and their hosts."""

import datetime
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Case, Count, F, Prefetch, Q, Subquery, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from model_utils.models import TimeStampedModel
from simple_history.models import HistoricalRecords

from core.db.constraints import ConstraintErrorFields
from core.db.prepared import PreparedRows
from core.db.presence import prefetch_present, with_presence
from core.db.references import as_references, unread_by_reference
from core.db.uploads import image_upload_name
from core.routes import fast_reverse
from core.validators import validate_image_upload, validate_single_line
from members.models import Division, Organisation, Topic

from ..presenters import ConferenceState
from ..validators import validate_time_zone
from .outcomes import Award, Decision, Quote
from .programme import Session, SessionQuerySet


def conference_cover_path(instance: models.Model, filename: str) -> str:
    return image_upload_name("conferences/covers", instance, filename, field="cover_image")


class ConferenceQuerySet(models.QuerySet):
    def published(self) -> "ConferenceQuerySet":
        """What visitors and partners see: drafts stay with staff."""
        return self.filter(is_published=True)

    def drafts(self) -> "ConferenceQuerySet":
        return self.filter(is_published=False)

    def upcoming(self, today: datetime.date | None = None) -> "ConferenceQuerySet":
        today = today or timezone.localdate()
        return self.filter(end_date__gte=today).exclude(status=Conference.Status.CANCELLED)

    def past(self, today: datetime.date | None = None) -> "ConferenceQuerySet":
        today = today or timezone.localdate()
        return self.filter(end_date__lt=today)

    def soonest_known_first(self) -> "ConferenceQuerySet":
        """Soonest first, those known to the day before those known only by month or year."""
        return self.order_by(
            Case(When(date_precision=Conference.DatePrecision.DAY, then=Value(0)), default=1),
            "start_date",
            "pk",
        )

    def for_admin_list(self) -> "ConferenceQuerySet":
        return self.select_related("division").annotate(session_count=Count("sessions"))

    def for_list(self) -> "ConferenceQuerySet":
        return self.select_related("division")

    def for_feed(self) -> "ConferenceQuerySet":
        return self.select_related("division").prefetch_related("topics")

    def for_calendar(self, *, held_back_sessions: bool = False) -> "ConferenceQuerySet":
        sessions = Session.objects.in_programme_order().with_speaker_names()
        if not held_back_sessions:
            sessions = sessions.filter(is_published=True)
        return self.prefetch_related(Prefetch("sessions", sessions))

    def for_api(self) -> "ConferenceQuerySet":
        """What the API's list shape needs: division, hosts in order (`host_list`), topics
        (`topic_list`). Lists, not managers: Django then builds no QuerySet per row."""
        return (
            self.select_related("division")
            .defer(*unread_by_reference(Division, "division"))
            .prefetch_related(
                Prefetch(
                    "host_links",
                    ConferenceHost.objects.select_related("organisation").defer(
                        *unread_by_reference(Organisation, "organisation")
                    ),
                    to_attr="host_list",
                ),
                Prefetch("topics", as_references(Topic.objects.all()), to_attr="topic_list"),
            )
        )

    def for_detail(self) -> "ConferenceQuerySet":
        """The conference's page: the record in full; the page reads its programme as values
        (conferences/programme.py: `programme_of()`)."""
        return self.in_full(sessions=None)

    def for_api_detail(self, *, held_back_sessions: bool = False) -> "ConferenceQuerySet":
        """The API's full conference: its sessions are references to /sessions/, those held
        back only with `held_back_sessions` (for staff)."""
        sessions = Session.objects.in_programme_order()
        if not held_back_sessions:
            sessions = sessions.filter(is_published=True)
        return self.in_full(sessions=sessions)

    def in_full(self, *, sessions: SessionQuerySet | None) -> "ConferenceQuerySet":
        """One conference in full: division, hosts in order and topics (read through their
        managers, as pages do) and the programme (`sessions` says what each session brings
        along). The organisations taking part and the outcomes, which most conferences have
        none of (an upcoming one has no outcome yet), are read by `complete_conferences`,
        only where there are any. The editions around it are read when asked for
        (`Conference.editions`)."""
        queryset = self.select_related("division").prefetch_related(
            Prefetch("host_links", ConferenceHost.objects.select_related("organisation")),
            "topics",
            *([Prefetch("sessions", sessions)] if sessions is not None else []),
        )
        return with_presence(queryset, conference_outcomes)


def conference_outcomes() -> list[Prefetch]:
    """What a conference in full shows besides its programme, where it has any: the
    organisations taking part (`participants`), the decisions (`decision_list`), awards
    (`award_list`) and quotes (`quote_list`)."""
    return [
        Prefetch(
            "participating_organisations",
            Organisation.objects.order_by("name", "pk"),
            to_attr="participants",
        ),
        Prefetch(
            "decisions",
            Decision.objects.select_related("host_organisation", "resulting_conference"),
            to_attr="decision_list",
        ),
        Prefetch(
            "awards",
            Award.objects.select_related("recipient_person", "recipient_organisation"),
            to_attr="award_list",
        ),
        Prefetch("quotes", Quote.objects.select_related("person", "session"), to_attr="quote_list"),
    ]


def complete_conferences(conferences: Iterable["Conference"]) -> None:
    """Read the outcomes and participants of conferences from `in_full()`, where they have
    any."""
    prefetch_present(conferences, conference_outcomes)


# What a link to an edition of a series shows (`Conference.editions`).
EDITION_COLUMNS = ("id", "slug", "title", "start_date", "end_date", "date_precision")


def _series_neighbours(kind: str, pk: int, division: int | None = None) -> models.QuerySet:
    """The editions just before and just after conference `pk` in its series, in start date
    order: the world conferences, or one division's (`division`); published ones only.

    Each side is an index range (conference_series_idx) read from the conference outward;
    the conference's own start date is read by key, so that the query's only values are keys.
    """
    series = Conference.objects.published().filter(kind=kind)
    if division is None:
        series = series.filter(division__isnull=True)
    else:
        series = series.filter(division=division)
    start = Subquery(Conference.objects.filter(pk=pk).values("start_date"))
    earlier = Q(start_date__lte=start) & (Q(start_date__lt=start) | Q(pk__lt=pk))
    later = Q(start_date__gte=start) & (Q(start_date__gt=start) | Q(pk__gt=pk))
    previous = series.filter(earlier).order_by("-start_date", "-pk").values("pk")[:1]
    following = series.filter(later).order_by("start_date", "pk").values("pk")[:1]
    return (
        Conference.objects.filter(Q(pk=Subquery(previous)) | Q(pk=Subquery(following)))
        .order_by("start_date", "pk")
        .values_list(*EDITION_COLUMNS)
    )


# Compiled once (core/db/prepared.py): the world series, and a division's.
_WORLD_NEIGHBOURS = PreparedRows(lambda pk: _series_neighbours(Conference.Kind.WORLD, pk))
_DIVISION_NEIGHBOURS = PreparedRows(
    lambda pk, division: _series_neighbours(Conference.Kind.DIVISION, pk, division)
)


@dataclass(frozen=True)
class Editions:
    """The editions before and after a conference in its series, with what a link to each
    shows (EDITION_COLUMNS); None at either end, or for a conference in no series."""

    previous: "Conference | None" = None
    next: "Conference | None" = None


class Conference(ConstraintErrorFields, TimeStampedModel):
    class Kind(models.TextChoices):
        WORLD = "world", _("World conference")
        DIVISION = "division", _("Division conference")
        OTHER = "other", _("Other event")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        REGISTRATION_OPEN = "registration_open", _("Registration open")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    class DatePrecision(models.TextChoices):
        DAY = "day", _("Exact days")
        MONTH = "month", _("Month only")
        YEAR = "year", _("Year only")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    is_published = models.BooleanField(
        _("published"),
        default=False,
        help_text=_(
            "A draft is seen only by staff, on its page as a preview; visitors, feeds, "
            "calendars, search and the API see the conference once it is published."
        ),
    )
    edition = models.PositiveSmallIntegerField(
        _("edition"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("42 for the 42nd World Conference. Unique within a series."),
    )
    title = models.CharField(_("title"), max_length=250, validators=[validate_single_line])
    slug = models.SlugField(_("slug"), max_length=250, unique=True)
    theme = models.CharField(
        _("theme"), max_length=300, blank=True, validators=[validate_single_line]
    )
    description = models.TextField(_("description"), blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    date_precision = models.CharField(
        _("dates known to"),
        max_length=10,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text=_(
            "While only the month or year is announced, give its first and last day and "
            "choose the precision; pages then show only the month or year."
        ),
    )
    city = models.CharField(
        _("city"), max_length=120, blank=True, validators=[validate_single_line]
    )
    country = CountryField(_("country"))
    venue = models.CharField(
        _("venue"), max_length=250, blank=True, validators=[validate_single_line]
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="UTC",
        validators=[validate_single_line, validate_time_zone],
        help_text=_("IANA name, e.g. Asia/Shanghai. Session times are in this zone."),
    )
    hosts = models.ManyToManyField(
        Organisation,
        through="ConferenceHost",
        verbose_name=_("hosts"),
        related_name="hosted_conferences",
        blank=True,
    )
    participating_organisations = models.ManyToManyField(
        Organisation,
        verbose_name=_("organisations taking part"),
        related_name="conferences_attended",
        blank=True,
        help_text=_("Organisations reported as taking part, besides the hosts."),
    )
    division = models.ForeignKey(
        Division,
        verbose_name=_("division"),
        on_delete=models.PROTECT,
        related_name="conferences",
        null=True,
        blank=True,
    )
    participant_count = models.PositiveIntegerField(_("participants"), null=True, blank=True)
    participant_count_is_minimum = models.BooleanField(
        _("at least this many"),
        default=False,
        help_text=_("Tick when the organisers reported 'more than' this number."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    website = models.URLField(_("website"), blank=True)
    registration_url = models.URLField(
        _("registration address"),
        blank=True,
        help_text=_(
            "Where to register. Pages show a 'Register' button while registration is open."
        ),
    )
    cover_image = models.ImageField(
        _("cover image"),
        upload_to=conference_cover_path,
        blank=True,
        width_field="cover_width",
        height_field="cover_height",
        validators=[validate_image_upload],
    )
    cover_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    cover_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    topics = models.ManyToManyField(
        Topic, verbose_name=_("topics"), related_name="conferences", blank=True
    )
    report = models.TextField(
        _("post-event report"), blank=True, help_text=_("The organisers' account of the event.")
    )

    objects = ConferenceQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[topics, participating_organisations])

    # The world editions' constraint is on the edition alone: Django names the field itself.
    constraint_error_fields = {"conference_division_edition_unique": "edition"}

    class Meta:
        ordering = ["-start_date"]
        verbose_name = _("conference")
        verbose_name_plural = _("conferences")
        get_latest_by = "start_date"
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="conference_end_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.CheckConstraint(
                condition=Q(kind="division", division__isnull=False)
                | Q(kind="world", division__isnull=True)
                | Q(kind="other"),
                name="conference_division_matches_kind",
                violation_error_message=_(
                    "A division conference needs its division; a world conference has none."
                ),
            ),
            models.UniqueConstraint(
                fields=["edition"],
                condition=Q(kind="world", edition__isnull=False),
                name="conference_world_edition_unique",
                violation_error_code="unique",
                violation_error_message=_("A world conference with this edition exists."),
            ),
            models.UniqueConstraint(
                fields=["division", "edition"],
                condition=Q(kind="division", edition__isnull=False),
                name="conference_division_edition_unique",
                violation_error_code="unique",
                violation_error_message=_(
                    "A conference of this division with this edition exists."
                ),
            ),
            models.CheckConstraint(
                condition=Q(participant_count_is_minimum=False)
                | Q(participant_count__isnull=False),
                name="conference_minimum_needs_count",
                violation_error_message=_("'At least this many' needs a participant count."),
            ),
            models.CheckConstraint(condition=~Q(title=""), name="conference_title_not_blank"),
        ]
        indexes = [
            models.Index(fields=["end_date", "start_date"]),
            # A series in date order: the previous and next editions (Conference.editions).
            models.Index(
                fields=["kind", "division", "start_date", "id"],
                condition=Q(is_published=True),
                name="conference_series_idx",
            ),
            # The list: the past newest first, and how many there are (up to the cap).
            models.Index(
                fields=["start_date", "id"],
                condition=Q(is_published=True),
                name="conference_published_start_idx",
            ),
            models.Index(
                fields=["end_date"],
                condition=Q(is_published=True),
                name="conference_published_end_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def series_tag(self) -> str:
        """The cache tag of the conference's series: its pages show the previous and next
        editions, which a conference saved in the same series can change."""
        return f"dep:conferences.series:{self.kind}:{self.division_id}"

    @property
    def cache_tags(self) -> tuple[str, ...]:
        return (self.series_tag,)

    @cached_property
    def editions(self) -> Editions:
        """The previous and next editions of its series: the world conferences, or its
        division's; published ones, in start date order. One query (none outside a series),
        once per instance: for the record as it was read."""
        if self.kind == self.Kind.WORLD:
            rows = _WORLD_NEIGHBOURS.tuples(pk=self.pk)
        elif self.kind == self.Kind.DIVISION and self.division_id is not None:
            rows = _DIVISION_NEIGHBOURS.tuples(pk=self.pk, division=self.division_id)
        else:
            return Editions()
        previous = following = None
        # from_db() takes the values in the order of the model's fields.
        order = [field.attname for field in self._meta.concrete_fields]
        names = sorted(EDITION_COLUMNS, key=order.index)
        for row in rows:
            values = dict(zip(EDITION_COLUMNS, row, strict=True))
            edition = Conference.from_db(self._state.db, names, [values[name] for name in names])
            if (edition.start_date, edition.pk) < (self.start_date, self.pk):
                previous = edition
            else:
                following = edition
        return Editions(previous, following)

    def get_absolute_url(self) -> str:
        return fast_reverse("conferences:conference-detail", slug=self.slug)

    @cached_property
    def state(self) -> ConferenceState:
        """What its status and dates let pages say and offer today (conferences/presenters.py)."""
        return ConferenceState(self)

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def days(self) -> list[datetime.date]:
        count = (self.end_date - self.start_date).days + 1
        return [self.start_date + datetime.timedelta(days=n) for n in range(count)]

    def clean(self) -> None:
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The end date cannot be before the start date.")
        if self.kind == self.Kind.DIVISION and not self.division_id:
            errors["division"] = _("A division conference needs its division.")
        if self.kind == self.Kind.WORLD and self.division_id:
            errors["division"] = _("A world conference belongs to no division.")
        if self.participant_count_is_minimum and self.participant_count is None:
            errors["participant_count"] = _("Give the number the organisers reported.")
        if errors:
            raise ValidationError(errors)


class ConferenceHost(models.Model):
    class Role(models.TextChoices):
        HOST = "host", _("Host")
        CO_HOST = "co_host", _("Co-host")
        PARTNER = "partner", _("Partner")
        SUPPORTER = "supporter", _("Supporter")

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="host_links")
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="conference_host_links",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.HOST)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("host")
        verbose_name_plural = _("hosts")
        constraints = [
            models.UniqueConstraint(
                fields=["conference", "organisation"],
                name="conference_host_unique",
                violation_error_message=_("This organisation is already a host."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_role_display()})"
