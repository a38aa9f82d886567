"""The programme: sessions and who appears in them."""

import datetime

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.db.models import Count, F, Prefetch, Q
from django.utils.translation import gettext_lazy as _
from model_utils.models import TimeStampedModel
from simple_history.models import HistoricalRecords

from core.routes import fast_reverse
from core.validators import validate_single_line
from members.models import Organisation, Person, Topic


class SessionQuerySet(models.QuerySet):
    def published(self) -> "SessionQuerySet":
        """Sessions visitors see: published, of a published conference."""
        return self.filter(is_published=True, conference__is_published=True)

    def for_admin_list(self) -> "SessionQuerySet":
        return self.select_related("conference").annotate(appearance_count=Count("appearances"))

    def in_programme_order(self) -> "SessionQuerySet":
        """Whole-day items open each day, on every database (NULL sorts differently)."""
        return self.order_by("day", F("start_time").asc(nulls_first=True), "order", "pk")

    def with_speakers(self) -> "SessionQuerySet":
        return self.prefetch_related(
            Prefetch("appearances", Appearance.objects.select_related("person__affiliation"))
        )

    def with_speaker_names(self) -> "SessionQuerySet":
        """The speakers as a calendar names them: the role, the capacity and the person's name
        alone (not the whole person, nor the organisation)."""
        speakers = Appearance.objects.select_related("person").only(
            "session_id", "role", "capacity", "person__name"
        )
        return self.prefetch_related(Prefetch("appearances", speakers))

    def for_api(self) -> "SessionQuerySet":
        """What the API's session shape (and its calendar) needs."""
        return self.select_related("conference").prefetch_related(
            Prefetch("topics", Topic.objects.all(), to_attr="topic_list"),
            # Through the manager: the calendar reads the speakers so too.
            Prefetch("appearances", Appearance.objects.select_related("person")),
            Prefetch(
                "organisations_visited",
                Organisation.objects.order_by("name", "pk"),
                to_attr="visited_list",
            ),
        )

    def for_page(self) -> "SessionQuerySet":
        """A session's own page: its conference, speakers with their photos and
        affiliations, topics and the organisations visited."""
        return self.select_related("conference").prefetch_related(
            Prefetch("appearances", Appearance.objects.select_related("person__affiliation")),
            Prefetch("topics", Topic.objects.order_by("name", "pk")),
            Prefetch("organisations_visited", Organisation.objects.order_by("name", "pk")),
        )

    def for_programme(self) -> "SessionQuerySet":
        """A conference page's programme and speakers: only the columns the page shows (a
        large programme loads a thousand appearances, and every column costs)."""
        appearances = (
            Appearance.objects.select_related("person")
            .only(
                "session_id", "person_id", "role", "capacity", "order",
                "person__name", "person__honorific", "person__slug", "person__removed_at",
                "person__job_title", "person__display_consent",
                "person__photo", "person__photo_width", "person__photo_height",
            )
            .annotate(
                affiliation_name=F("person__affiliation__name"),
                affiliation_pk=F("person__affiliation"),
            )
        )  # fmt: skip
        return self.in_programme_order().prefetch_related(
            Prefetch("appearances", appearances),
            Prefetch("topics", Topic.objects.only("name", "slug")),
            Prefetch(
                "organisations_visited", Organisation.objects.only("name", "short_name", "slug")
            ),
        )


class Session(TimeStampedModel):
    """One item of a conference programme.

    Times are wall-clock times in the conference's time zone: that is how organisers announce
    them and how visitors read them. A session without times is a whole-day item.
    """

    class Kind(models.TextChoices):
        TRAINING = "training", _("Pre-conference training")
        TECHNICAL_VISIT = "technical_visit", _("Technical visit")
        OPENING = "opening", _("Opening ceremony")
        PLENARY = "plenary", _("Plenary session")
        PARALLEL = "parallel", _("Parallel session")
        GENERAL_ASSEMBLY = "general_assembly", _("General Assembly")
        CLOSING = "closing", _("Closing ceremony")
        SOCIAL = "social", _("Social event")
        OTHER = "other", _("Other")

    conference = models.ForeignKey(
        "conferences.Conference",
        verbose_name=_("conference"),
        on_delete=models.CASCADE,
        related_name="sessions",
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    is_published = models.BooleanField(
        _("published"),
        default=True,
        help_text=_(
            "Untick to keep a session in preparation off the public programme. A session of a "
            "draft conference is shown only once the conference is published."
        ),
    )
    title = models.CharField(_("title"), max_length=250, validators=[validate_single_line])
    description = models.TextField(_("description"), blank=True)
    day = models.DateField(_("day"))
    start_time = models.TimeField(_("start time"), null=True, blank=True)
    end_time = models.TimeField(_("end time"), null=True, blank=True)
    location = models.CharField(
        _("room or place"), max_length=250, blank=True, validators=[validate_single_line]
    )
    order = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Orders items of the same day and start time.")
    )
    topics = models.ManyToManyField(
        Topic, verbose_name=_("topics"), related_name="sessions", blank=True
    )
    organisations_visited = models.ManyToManyField(
        Organisation,
        verbose_name=_("organisations visited"),
        related_name="visits",
        blank=True,
        help_text=_("For technical visits."),
    )

    objects = SessionQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[topics, organisations_visited])

    class Meta:
        ordering = ["day", "start_time", "order", "pk"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__isnull=True) | Q(start_time__isnull=False),
                name="session_end_needs_start",
                violation_error_message=_("An end time needs a start time."),
            ),
            models.CheckConstraint(
                condition=Q(end_time__isnull=True) | Q(end_time__gt=F("start_time")),
                name="session_end_after_start",
                violation_error_message=_("The session must end after it starts."),
            ),
            models.CheckConstraint(condition=~Q(title=""), name="session_title_not_blank"),
        ]
        indexes = [models.Index(fields=["conference", "day", "start_time"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return fast_reverse("conferences:session-detail", slug=self.conference.slug, pk=self.pk)

    @property
    def programme_anchor(self) -> str:
        """Its place in the conference's programme (the anchor older links point to)."""
        return f"session-{self.pk}"

    @property
    def starts_at(self) -> datetime.datetime | None:
        if self.start_time is None:
            return None
        return datetime.datetime.combine(self.day, self.start_time, tzinfo=self.conference.zone)

    @property
    def ends_at(self) -> datetime.datetime | None:
        if self.end_time is None:
            return None
        return datetime.datetime.combine(self.day, self.end_time, tzinfo=self.conference.zone)

    def clean(self) -> None:
        errors = {}
        if self.end_time and not self.start_time:
            errors["start_time"] = _("An end time needs a start time.")
        elif self.end_time and self.start_time and self.end_time <= self.start_time:
            errors["end_time"] = _("The session must end after it starts.")
        try:
            conference = self.conference
        except ObjectDoesNotExist:
            conference = None
        if (
            self.day
            and conference is not None
            and conference.start_date
            and conference.end_date
            and not conference.start_date <= self.day <= conference.end_date
        ):
            errors["day"] = _("The day must fall within the conference, %(start)s to %(end)s.") % {
                "start": conference.start_date,
                "end": conference.end_date,
            }
        if errors:
            raise ValidationError(errors)


class Appearance(models.Model):
    """A person's part in a session."""

    class Role(models.TextChoices):
        OPENING_ADDRESS = "opening_address", _("Opening address")
        KEYNOTE = "keynote", _("Keynote")
        SPEAKER = "speaker", _("Speaker")
        MODERATOR = "moderator", _("Moderator")
        PANELLIST = "panellist", _("Panellist")
        TRAINER = "trainer", _("Trainer")
        HOST = "host", _("Host")

    session = models.ForeignKey(
        "conferences.Session",
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="appearances",
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="appearances"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.SPEAKER)
    capacity = models.CharField(
        _("in the capacity of"),
        max_length=250,
        blank=True,
        help_text=_("Title and affiliation at the time, e.g. Director, CMU STeP."),
        validators=[validate_single_line],
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("appearance")
        verbose_name_plural = _("appearances")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "person", "role"],
                name="appearance_unique",
                violation_error_message=_("This person already has this role in the session."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_role_display()}"
