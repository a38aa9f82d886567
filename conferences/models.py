import datetime
import zoneinfo

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, F, OuterRef, Prefetch, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from model_utils.models import TimeStampedModel
from simple_history.models import HistoricalRecords

from core.db.uploads import unique_upload_name
from core.validators import validate_image_upload
from members.models import Division, Organisation, Person, Topic

from .validators import validate_time_zone


def conference_cover_path(instance: models.Model, filename: str) -> str:
    return unique_upload_name("conferences/covers", instance, filename)


class ConferenceQuerySet(models.QuerySet):
    def upcoming(self, today: datetime.date | None = None) -> "ConferenceQuerySet":
        today = today or timezone.localdate()
        return self.filter(end_date__gte=today).exclude(status=Conference.Status.CANCELLED)

    def past(self, today: datetime.date | None = None) -> "ConferenceQuerySet":
        today = today or timezone.localdate()
        return self.filter(end_date__lt=today)

    def for_admin_list(self) -> "ConferenceQuerySet":
        return self.select_related("division").annotate(session_count=Count("sessions"))

    def for_list(self) -> "ConferenceQuerySet":
        return self.select_related("division")

    def for_feed(self) -> "ConferenceQuerySet":
        return self.select_related("division").prefetch_related("topics")

    def for_calendar(self) -> "ConferenceQuerySet":
        return self.prefetch_related(
            Prefetch("sessions", Session.objects.in_programme_order().with_speakers())
        )

    def for_detail(self) -> "ConferenceQuerySet":
        # agreements.models imports this module, so the import waits until the call.
        from agreements.models import Agreement, AgreementParty

        return self.select_related("division").prefetch_related(
            Prefetch("host_links", ConferenceHost.objects.select_related("organisation")),
            "topics",
            Prefetch(
                "participating_organisations",
                Organisation.objects.order_by("name"),
                to_attr="participants",
            ),
            Prefetch("sessions", Session.objects.for_programme()),
            Prefetch(
                "decisions",
                Decision.objects.select_related("host_organisation", "resulting_conference"),
            ),
            Prefetch(
                "awards",
                Award.objects.select_related("recipient_person", "recipient_organisation"),
            ),
            Prefetch("quotes", Quote.objects.select_related("person", "session")),
            Prefetch(
                "agreements",
                Agreement.objects.public()
                .order_by("signed_on", "title")
                .prefetch_related(
                    Prefetch("parties", AgreementParty.objects.select_related("organisation"))
                ),
                to_attr="public_agreements",
            ),
        )

    def for_api(self) -> "ConferenceQuerySet":
        """What the API's conference shape needs: division, hosts in order, topics."""
        return self.select_related("division").prefetch_related(
            Prefetch("host_links", ConferenceHost.objects.select_related("organisation")),
            "topics",
        )

    def for_api_detail(self) -> "ConferenceQuerySet":
        """The API's full conference: for_api() with the programme, outcomes and editions."""
        from agreements.models import Agreement

        return (
            self.for_api()
            .with_editions()
            .prefetch_related(
                Prefetch(
                    "participating_organisations",
                    Organisation.objects.order_by("name", "pk"),
                    to_attr="participants",
                ),
                Prefetch("sessions", Session.objects.in_programme_order()),
                Prefetch(
                    "decisions",
                    Decision.objects.select_related("host_organisation", "resulting_conference"),
                ),
                Prefetch(
                    "awards",
                    Award.objects.select_related("recipient_person", "recipient_organisation"),
                ),
                Prefetch("quotes", Quote.objects.select_related("person", "session")),
                Prefetch(
                    "agreements",
                    Agreement.objects.public().order_by("signed_on", "title", "pk"),
                    to_attr="public_agreements",
                ),
            )
        )

    def with_editions(self) -> "ConferenceQuerySet":
        """`previous_edition_{id,slug,title}` and `next_edition_…`: in_series_of() in SQL.

        Null when the conference opens or closes its series, or belongs to none.
        """
        series = (
            Conference.objects.filter(kind=OuterRef("kind"))
            .exclude(kind=Conference.Kind.OTHER)
            .filter(Q(kind=Conference.Kind.WORLD) | Q(division=OuterRef("division")))
        )
        start, pk = OuterRef("start_date"), OuterRef("pk")
        neighbours = {
            "previous_edition": series.filter(
                Q(start_date__lt=start) | Q(start_date=start, pk__lt=pk)
            ).order_by("-start_date", "-pk"),
            "next_edition": series.filter(
                Q(start_date__gt=start) | Q(start_date=start, pk__gt=pk)
            ).order_by("start_date", "pk"),
        }
        return self.annotate(
            **{
                f"{name}_{column}": Subquery(editions.values(column)[:1])
                for name, editions in neighbours.items()
                for column in ("id", "slug", "title")
            }
        )

    def in_series_of(self, conference: "Conference") -> "ConferenceQuerySet":
        """The other editions of `conference`'s series: world conferences, or one division's."""
        if conference.kind == Conference.Kind.OTHER:
            return self.none()
        series = self.filter(kind=conference.kind).exclude(pk=conference.pk)
        if conference.kind == Conference.Kind.DIVISION:
            series = series.filter(division_id=conference.division_id)
        return series

    def before(self, conference: "Conference") -> "ConferenceQuerySet":
        start = conference.start_date
        return self.filter(
            Q(start_date__lt=start) | Q(start_date=start, pk__lt=conference.pk)
        ).order_by("-start_date", "-pk")

    def after(self, conference: "Conference") -> "ConferenceQuerySet":
        start = conference.start_date
        return self.filter(
            Q(start_date__gt=start) | Q(start_date=start, pk__gt=conference.pk)
        ).order_by("start_date", "pk")


class Conference(TimeStampedModel):
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
    edition = models.PositiveSmallIntegerField(
        _("edition"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("42 for the 42nd World Conference. Unique within a series."),
    )
    title = models.CharField(_("title"), max_length=250)
    slug = models.SlugField(_("slug"), max_length=250, unique=True)
    theme = models.CharField(_("theme"), max_length=300, blank=True)
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
    city = models.CharField(_("city"), max_length=120, blank=True)
    country = CountryField(_("country"))
    venue = models.CharField(_("venue"), max_length=250, blank=True)
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="UTC",
        validators=[validate_time_zone],
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
                violation_error_message=_("A world conference with this edition exists."),
            ),
            models.UniqueConstraint(
                fields=["division", "edition"],
                condition=Q(kind="division", edition__isnull=False),
                name="conference_division_edition_unique",
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
        indexes = [models.Index(fields=["end_date", "start_date"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("conferences:conference-detail", kwargs={"slug": self.slug})

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


class SessionQuerySet(models.QuerySet):
    def for_admin_list(self) -> "SessionQuerySet":
        return self.select_related("conference").annotate(appearance_count=Count("appearances"))

    def in_programme_order(self) -> "SessionQuerySet":
        """Whole-day items open each day, on every database (NULL sorts differently)."""
        return self.order_by("day", F("start_time").asc(nulls_first=True), "order", "pk")

    def with_speakers(self) -> "SessionQuerySet":
        return self.prefetch_related(
            Prefetch("appearances", Appearance.objects.select_related("person__affiliation"))
        )

    def for_api(self) -> "SessionQuerySet":
        """What the API's session shape (and its calendar) needs."""
        return self.select_related("conference").prefetch_related(
            "topics",
            Prefetch("appearances", Appearance.objects.select_related("person")),
            Prefetch("organisations_visited", Organisation.objects.order_by("name", "pk")),
        )

    def for_programme(self) -> "SessionQuerySet":
        return (
            self.in_programme_order()
            .with_speakers()
            .prefetch_related("topics", "organisations_visited")
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
        Conference, verbose_name=_("conference"), on_delete=models.CASCADE, related_name="sessions"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=250)
    description = models.TextField(_("description"), blank=True)
    day = models.DateField(_("day"))
    start_time = models.TimeField(_("start time"), null=True, blank=True)
    end_time = models.TimeField(_("end time"), null=True, blank=True)
    location = models.CharField(_("room or place"), max_length=250, blank=True)
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
        return f"{self.conference.get_absolute_url()}#session-{self.pk}"

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
        except Conference.DoesNotExist:
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
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="appearances"
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


class Decision(TimeStampedModel):
    """A decision taken at a conference, such as the General Assembly's choice of next host."""

    class Kind(models.TextChoices):
        NEXT_HOST = "next_host", _("Next host chosen")
        OTHER = "other", _("Other decision")

    conference = models.ForeignKey(
        Conference, verbose_name=_("conference"), on_delete=models.CASCADE, related_name="decisions"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=250)
    text = models.TextField(_("text"), blank=True)
    host_city = models.CharField(_("host city"), max_length=120, blank=True)
    host_country = CountryField(_("host country"), blank=True)
    host_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("host organisation"),
        on_delete=models.PROTECT,
        related_name="host_decisions",
        null=True,
        blank=True,
    )
    host_year = models.PositiveSmallIntegerField(
        _("year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1950), MaxValueValidator(2200)],
    )
    resulting_conference = models.ForeignKey(
        Conference,
        verbose_name=_("resulting conference"),
        on_delete=models.SET_NULL,
        related_name="decided_by",
        null=True,
        blank=True,
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["conference", "pk"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="other")
                | (~Q(host_country="") & ~Q(host_city="") & Q(host_year__isnull=False)),
                name="decision_next_host_complete",
                violation_error_message=_(
                    "A choice of next host needs the city, the country and the year."
                ),
            ),
            models.CheckConstraint(
                condition=Q(host_year__isnull=True) | Q(host_year__gte=1950, host_year__lte=2200),
                name="decision_host_year_range",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.kind != self.Kind.NEXT_HOST:
            return
        errors = {}
        for field in ("host_city", "host_country", "host_year"):
            if not getattr(self, field):
                errors[field] = _("Needed when the decision chooses the next host.")
        if errors:
            raise ValidationError(errors)


class Award(TimeStampedModel):
    conference = models.ForeignKey(
        Conference, verbose_name=_("conference"), on_delete=models.CASCADE, related_name="awards"
    )
    name = models.CharField(_("award"), max_length=200)
    recipient_person = models.ForeignKey(
        Person,
        verbose_name=_("recipient (person)"),
        on_delete=models.PROTECT,
        related_name="awards",
        null=True,
        blank=True,
    )
    recipient_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("recipient (organisation)"),
        on_delete=models.PROTECT,
        related_name="awards",
        null=True,
        blank=True,
    )
    citation = models.TextField(_("citation"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["conference", "pk"]
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        constraints = [
            models.CheckConstraint(
                condition=Q(recipient_person__isnull=True) | Q(recipient_organisation__isnull=True),
                name="award_single_recipient",
                violation_error_message=_(
                    "An award goes to a person or to an organisation, not both."
                ),
            ),
            models.CheckConstraint(condition=~Q(name=""), name="award_name_not_blank"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def recipient(self) -> Person | Organisation | None:
        return self.recipient_person or self.recipient_organisation


class Quote(TimeStampedModel):
    conference = models.ForeignKey(
        Conference, verbose_name=_("conference"), on_delete=models.CASCADE, related_name="quotes"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="quotes"
    )
    session = models.ForeignKey(
        Session,
        verbose_name=_("session"),
        on_delete=models.SET_NULL,
        related_name="quotes",
        null=True,
        blank=True,
    )
    text = models.TextField(_("quote"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["conference", "pk"]
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="quote_text_not_blank"),
        ]

    def __str__(self) -> str:
        return f"“{self.text[:60]}” — {self.person}"

    def clean(self) -> None:
        if self.session_id and self.session.conference_id != self.conference_id:
            raise ValidationError({"session": _("Choose a session of this conference.")})
