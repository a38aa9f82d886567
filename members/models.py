import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import (
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
)
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from model_utils.models import TimeStampedModel
from simple_history.models import HistoricalRecords

from core.db.constraints import coordinate_constraints, date_order_constraint
from core.db.counts import count_of
from core.db.uploads import unique_upload_name
from core.validators import validate_image_upload

from .validators import validate_ror_id, validate_wikidata_id


def organisation_logo_path(instance: models.Model, filename: str) -> str:
    return unique_upload_name("organisations/logos", instance, filename)


def person_photo_path(instance: models.Model, filename: str) -> str:
    return unique_upload_name("people/photos", instance, filename)


# How many of each kind of record a topic's or division's page lists before linking to the
# full list.
TOPIC_PAGE_LIMIT = 12
DIVISION_PAGE_LIMIT = 24


class TopicQuerySet(models.QuerySet):
    def with_counts(self) -> "TopicQuerySet":
        from agreements.models import Agreement
        from conferences.models import Session

        return self.annotate(
            organisation_count=count_of(Organisation.topics.through.objects.all(), "topic"),
            session_count=count_of(Session.topics.through.objects.all(), "topic"),
            agreement_count=count_of(
                Agreement.topics.through.objects.filter(agreement__in=Agreement.objects.public()),
                "topic",
            ),
        )

    def for_profile(self) -> "TopicQuerySet":
        """A topic's page: how much is tagged with it, and the first of each kind.

        The lists are cut at TOPIC_PAGE_LIMIT; each count links to the full, paged list.
        """
        from agreements.models import Agreement, AgreementParty
        from conferences.models import Conference, Session

        limit = TOPIC_PAGE_LIMIT
        public_agreements = Agreement.objects.public()
        return self.annotate(
            organisation_count=count_of(Organisation.topics.through.objects.all(), "topic"),
            member_count=count_of(
                Organisation.topics.through.objects.filter(
                    Exists(
                        Organisation.objects.current_members().filter(
                            pk=OuterRef("organisation_id")
                        )
                    )
                ),
                "topic",
            ),
            conference_count=count_of(Conference.topics.through.objects.all(), "topic"),
            session_count=count_of(Session.topics.through.objects.all(), "topic"),
            agreement_count=count_of(
                Agreement.topics.through.objects.filter(
                    Exists(public_agreements.filter(pk=OuterRef("agreement_id")))
                ),
                "topic",
            ),
        ).prefetch_related(
            Prefetch(
                "organisations",
                queryset=Organisation.objects.for_cards().order_by("name", "pk")[:limit],
                to_attr="tagged_organisations",
            ),
            Prefetch(
                "conferences",
                queryset=Conference.objects.order_by("-start_date", "-pk")[:limit],
                to_attr="tagged_conferences",
            ),
            Prefetch(
                "sessions",
                queryset=Session.objects.select_related("conference").order_by(
                    "-conference__start_date", "conference_id", "day", "start_time", "order", "pk"
                )[:limit],
                to_attr="tagged_sessions",
            ),
            Prefetch(
                "agreements",
                queryset=public_agreements.order_by(
                    F("signed_on").desc(nulls_last=True), "title", "pk"
                ).prefetch_related(
                    Prefetch(
                        "parties", queryset=AgreementParty.objects.select_related("organisation")
                    )
                )[:limit],
                to_attr="tagged_agreements",
            ),
        )


class Topic(TimeStampedModel):
    """One shared vocabulary for organisations, sessions and agreements."""

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)

    objects = TopicQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        constraints = [
            models.UniqueConstraint(Lower("name"), name="topic_name_unique_ci"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("members:topic-detail", kwargs={"slug": self.slug})


class DivisionQuerySet(models.QuerySet):
    def with_counts(self) -> "DivisionQuerySet":
        from conferences.models import Conference

        return self.annotate(
            member_count=count_of(Organisation.objects.current_members(), "division"),
            conference_count=count_of(Conference.objects.all(), "division"),
        )

    def for_profile(self) -> "DivisionQuerySet":
        from conferences.models import Conference

        limit = DIVISION_PAGE_LIMIT
        return self.with_counts().prefetch_related(
            Prefetch(
                "offices",
                queryset=Office.objects.current().select_related("person__affiliation"),
                to_attr="current_offices",
            ),
            Prefetch(
                "organisations",
                queryset=Organisation.objects.for_directory().order_by("name", "pk")[:limit],
                to_attr="member_organisations",
            ),
            Prefetch(
                "conferences",
                queryset=Conference.objects.order_by("-start_date", "-pk")[:limit],
                to_attr="conference_list",
            ),
        )


class Division(TimeStampedModel):
    """A regional chapter of the association."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)

    objects = DivisionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("division")
        verbose_name_plural = _("divisions")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("members:division-detail", kwargs={"slug": self.slug})


class OrganisationQuerySet(models.QuerySet):
    def current_members(self, on: datetime.date | None = None) -> "OrganisationQuerySet":
        on = on or timezone.localdate()
        return self.filter(
            Exists(Membership.objects.current(on=on).filter(organisation=OuterRef("pk")))
        )

    def for_admin_list(self) -> "OrganisationQuerySet":
        return self.select_related("division")

    def with_membership(self, on: datetime.date | None = None) -> "OrganisationQuerySet":
        """`member_since` and `membership_category` of the current membership, or None."""
        current = (
            Membership.objects.current(on=on)
            .filter(organisation=OuterRef("pk"))
            .order_by("-started_on")
        )
        return self.annotate(
            member_since=Subquery(current.values("started_on")[:1]),
            membership_category=Subquery(current.values("category")[:1]),
        )

    def for_cards(self) -> "OrganisationQuerySet":
        return self.with_membership()

    def for_directory(self) -> "OrganisationQuerySet":
        return self.current_members().for_cards()

    def for_api(self) -> "OrganisationQuerySet":
        """What the API's organisation shape reads, wherever it appears (lists, expansions)."""
        return self.select_related("division").prefetch_related("topics").with_membership()

    def for_api_detail(self) -> "OrganisationQuerySet":
        from agreements.models import Agreement, AgreementParty
        from conferences.models import Conference

        return self.for_api().prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.order_by("-started_on", "-pk"),
                to_attr="membership_history",
            ),
            Prefetch(
                "people", queryset=Person.objects.order_by("name", "pk"), to_attr="person_list"
            ),
            Prefetch(
                "hosted_conferences",
                queryset=Conference.objects.order_by("-start_date", "-pk"),
                to_attr="conferences_hosted",
            ),
            Prefetch(
                "agreement_parties",
                queryset=AgreementParty.objects.filter(agreement__in=Agreement.objects.public())
                .select_related("agreement")
                .order_by(F("agreement__signed_on").desc(nulls_last=True), "agreement__title"),
                to_attr="public_agreement_parties",
            ),
        )

    def for_profile(self) -> "OrganisationQuerySet":
        from agreements.models import Agreement, AgreementParty
        from conferences.models import ConferenceHost, Session

        return self.select_related("division").prefetch_related(
            "topics",
            Prefetch(
                "memberships", queryset=Membership.objects.current(), to_attr="current_memberships"
            ),
            Prefetch(
                "conference_host_links",
                queryset=ConferenceHost.objects.select_related("conference").order_by(
                    "-conference__start_date", "order", "pk"
                ),
                to_attr="hosting",
            ),
            Prefetch(
                "visits",
                queryset=Session.objects.select_related("conference").order_by("-day", "pk"),
                to_attr="visits_received",
            ),
            Prefetch(
                "people",
                queryset=Person.objects.with_current_offices(),
                to_attr="affiliated_people",
            ),
            Prefetch(
                "agreement_parties",
                queryset=AgreementParty.objects.filter(agreement__in=Agreement.objects.public())
                .select_related("agreement")
                .prefetch_related(
                    Prefetch(
                        "agreement__parties",
                        queryset=AgreementParty.objects.select_related("organisation"),
                    )
                )
                .order_by(F("agreement__signed_on").desc(nulls_last=True), "agreement__title"),
                to_attr="public_agreement_parties",
            ),
        )


class Organisation(TimeStampedModel):
    """A science park, innovation district, university, agency or other body.

    Not every organisation is a member: partner parks, hosts and places visited on technical
    tours are organisations too. Membership lives in `Membership`, with its history.
    """

    class Kind(models.TextChoices):
        SCIENCE_PARK = "science_park", _("Science park")
        INNOVATION_DISTRICT = "innovation_district", _("Innovation district")
        TECHNOLOGY_CENTRE = "technology_centre", _("Technology centre")
        UNIVERSITY = "university", _("University")
        RESEARCH_INSTITUTE = "research_institute", _("Research institute")
        AGENCY = "agency", _("Government agency")
        ASSOCIATION = "association", _("Association or network")
        COMPANY = "company", _("Company")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(
        _("short name"), max_length=40, blank=True, help_text=_("Acronym, e.g. CMU STeP.")
    )
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    country = CountryField(_("country"))
    city = models.CharField(_("city"), max_length=120, blank=True)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    website = models.URLField(_("website"), blank=True)
    contact_email = models.EmailField(
        _("contact e-mail"), blank=True, help_text=_("For staff only; never shown publicly.")
    )
    logo = models.ImageField(
        _("logo"),
        upload_to=organisation_logo_path,
        blank=True,
        width_field="logo_width",
        height_field="logo_height",
        validators=[validate_image_upload],
    )
    logo_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    logo_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    description = models.TextField(_("description"), blank=True)
    topics = models.ManyToManyField(
        Topic, verbose_name=_("topics"), related_name="organisations", blank=True
    )
    division = models.ForeignKey(
        Division,
        verbose_name=_("division"),
        on_delete=models.PROTECT,
        related_name="organisations",
        null=True,
        blank=True,
    )
    ror_id = models.CharField(_("ROR ID"), max_length=9, blank=True, validators=[validate_ror_id])
    wikidata_id = models.CharField(
        _("Wikidata ID"), max_length=20, blank=True, validators=[validate_wikidata_id]
    )

    objects = OrganisationQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[topics])

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                F("country"),
                name="organisation_name_country_unique",
                violation_error_message=_("An organisation with this name exists in this country."),
            ),
            models.UniqueConstraint(
                fields=["ror_id"], condition=~Q(ror_id=""), name="organisation_ror_id_unique"
            ),
            models.UniqueConstraint(
                fields=["wikidata_id"],
                condition=~Q(wikidata_id=""),
                name="organisation_wikidata_id_unique",
            ),
            models.CheckConstraint(condition=~Q(name=""), name="organisation_name_not_blank"),
            models.CheckConstraint(condition=~Q(country=""), name="organisation_country_set"),
            *coordinate_constraints("organisation"),
        ]
        indexes = [models.Index(fields=["country", "kind"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("members:organisation-detail", kwargs={"slug": self.slug})

    @property
    def display_name(self) -> str:
        """Name with the acronym, as staff and visitors refer to it: "… (CMU STeP)"."""
        if self.short_name and self.short_name.lower() not in self.name.lower():
            return f"{self.name} ({self.short_name})"
        return self.name


class MembershipQuerySet(models.QuerySet):
    def overlapping(
        self, started_on: datetime.date, ended_on: datetime.date | None
    ) -> "MembershipQuerySet":
        """Periods sharing at least one day with `started_on`–`ended_on` (open-ended: None)."""
        return self.filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=started_on),
            started_on__lte=ended_on or datetime.date.max,
        )

    def current(self, on: datetime.date | None = None) -> "MembershipQuerySet":
        return self.filter(self._current_condition(on))

    def with_is_current(self, on: datetime.date | None = None) -> "MembershipQuerySet":
        return self.annotate(
            is_current=ExpressionWrapper(
                self._current_condition(on), output_field=models.BooleanField()
            )
        )

    def for_api(self) -> "MembershipQuerySet":
        return self.select_related("organisation").with_is_current()

    @staticmethod
    def _current_condition(on: datetime.date | None) -> Q:
        on = on or timezone.localdate()
        return (Q(ended_on__isnull=True) | Q(ended_on__gte=on)) & Q(
            status=Membership.Status.ACTIVE, started_on__lte=on
        )


class Membership(TimeStampedModel):
    """One period of an organisation's membership in the association."""

    class Category(models.TextChoices):
        FULL = "full", _("Full member")
        AFFILIATED = "affiliated", _("Affiliated member")
        ASSOCIATE = "associate", _("Associate member")
        PARTNER = "partner", _("Partner")
        HONORARY = "honorary", _("Honorary member")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACTIVE = "active", _("Active")
        LAPSED = "lapsed", _("Lapsed")
        FORMER = "former", _("Former")

    # A period that still runs (pending or active) is unique per organisation.
    OPEN_STATUSES = (Status.PENDING, Status.ACTIVE)

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    started_on = models.DateField(_("start date"))
    ended_on = models.DateField(_("end date"), null=True, blank=True)
    notes = models.TextField(_("staff notes"), blank=True)

    objects = MembershipQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation__name", "-started_on"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        get_latest_by = "started_on"
        constraints = [
            date_order_constraint("started_on", "ended_on", "membership_end_after_start"),
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(status__in=["pending", "active"]),
                name="membership_one_open_per_organisation",
                violation_error_message=_(
                    "This organisation already has a pending or active membership."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(status="former") | Q(ended_on__isnull=False),
                name="membership_former_has_end_date",
                violation_error_message=_("A former membership needs an end date."),
            ),
            models.UniqueConstraint(
                fields=["organisation", "started_on"], name="membership_unique_start"
            ),
        ]
        indexes = [models.Index(fields=["status", "started_on", "ended_on"])]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.get_category_display()} ({self.period})"

    @property
    def period(self) -> str:
        end = self.ended_on.isoformat() if self.ended_on else _("present")
        return f"{self.started_on.isoformat()} – {end}"

    def clean(self) -> None:
        # Overlaps with other periods are checked where all of them are in view: the
        # organisation's membership inline, and the membership form (members/forms.py).
        if self.ended_on and self.started_on and self.ended_on < self.started_on:
            raise ValidationError({"ended_on": _("The end date cannot be before the start date.")})


def appearances_by_conference() -> models.QuerySet:
    """A person's appearances as pages list them: newest conference first, then programme."""
    from conferences.models import Appearance

    return Appearance.objects.select_related("session__conference").order_by(
        "-session__conference__start_date",
        "session__conference_id",
        "session__day",
        F("session__start_time").asc(nulls_first=True),
        "session__order",
        "order",
        "pk",
    )


class PersonQuerySet(models.QuerySet):
    def for_admin_list(self) -> "PersonQuerySet":
        return self.select_related("affiliation")

    def for_cards(self) -> "PersonQuerySet":
        return self.select_related("affiliation")

    def for_api(self) -> "PersonQuerySet":
        """What the API's person shape reads, wherever it appears (lists, expansions)."""
        return self.select_related("affiliation").with_current_offices()

    def for_api_detail(self) -> "PersonQuerySet":
        from conferences.models import Award

        return self.for_api().prefetch_related(
            Prefetch(
                "offices",
                queryset=Office.objects.for_titles().order_by(
                    F("started_on").desc(nulls_last=True), "pk"
                ),
                to_attr="office_list",
            ),
            Prefetch(
                "appearances",
                queryset=appearances_by_conference(),
                to_attr="appearance_list",
            ),
            Prefetch(
                "awards",
                queryset=Award.objects.select_related("conference").order_by(
                    "-conference__start_date", "pk"
                ),
                to_attr="award_list",
            ),
        )

    def with_current_offices(self, on: datetime.date | None = None) -> "PersonQuerySet":
        return self.prefetch_related(
            Prefetch(
                "offices",
                queryset=Office.objects.current(on=on).for_titles(),
                to_attr="current_offices",
            )
        )

    def for_profile(self, on: datetime.date | None = None) -> "PersonQuerySet":
        from conferences.models import Award, Quote

        return (
            self.select_related("affiliation")
            .with_current_offices(on=on)
            .prefetch_related(
                Prefetch(
                    "offices",
                    queryset=Office.objects.past(on=on).for_titles(),
                    to_attr="past_offices",
                ),
                Prefetch(
                    "appearances",
                    # Grouped by conference on the page: newest conference first, then programme.
                    queryset=appearances_by_conference(),
                    to_attr="conference_appearances",
                ),
                Prefetch(
                    "quotes",
                    queryset=Quote.objects.select_related(
                        "conference", "session__conference"
                    ).order_by("-conference__start_date", "pk"),
                    to_attr="quote_list",
                ),
                Prefetch(
                    "awards",
                    queryset=Award.objects.select_related("conference").order_by(
                        "-conference__start_date", "pk"
                    ),
                    to_attr="award_list",
                ),
            )
        )


class Person(TimeStampedModel):
    """A speaker, office holder, signatory or contact."""

    honorific = models.CharField(
        _("honorific"), max_length=30, blank=True, help_text=_("e.g. Dr, Prof., Ms")
    )
    name = models.CharField(_("full name"), max_length=200, help_text=_("As the person writes it."))
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    affiliation = models.ForeignKey(
        Organisation,
        verbose_name=_("affiliation"),
        on_delete=models.SET_NULL,
        related_name="people",
        null=True,
        blank=True,
    )
    country = CountryField(_("country"), blank=True)
    photo = models.ImageField(
        _("photo"),
        upload_to=person_photo_path,
        blank=True,
        width_field="photo_width",
        height_field="photo_height",
        validators=[validate_image_upload],
    )
    photo_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    photo_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    bio = models.TextField(_("short biography"), blank=True)
    email = models.EmailField(
        _("e-mail"), blank=True, help_text=_("For staff only; never shown publicly.")
    )
    website = models.URLField(_("website"), blank=True)

    objects = PersonQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="person_name_not_blank"),
        ]
        # Lists page through people in name order.
        indexes = [models.Index(fields=["name", "id"], name="person_name_order")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("members:person-detail", kwargs={"slug": self.slug})


class OfficeQuerySet(models.QuerySet):
    def current(self, on: datetime.date | None = None) -> "OfficeQuerySet":
        on = on or timezone.localdate()
        return self.filter(
            Q(started_on__isnull=True) | Q(started_on__lte=on),
            Q(ended_on__isnull=True) | Q(ended_on__gte=on),
        )

    def past(self, on: datetime.date | None = None) -> "OfficeQuerySet":
        on = on or timezone.localdate()
        return self.filter(ended_on__lt=on).order_by("-ended_on", "pk")

    def for_titles(self) -> "OfficeQuerySet":
        """What `full_title` reads."""
        return self.select_related("division", "organisation")


class Office(TimeStampedModel):
    """A position a person holds: in the association, in a division, or in an organisation."""

    class Body(models.TextChoices):
        ASSOCIATION = "association", _("The association")
        DIVISION = "division", _("A division")
        ORGANISATION = "organisation", _("An organisation")

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="offices"
    )
    title = models.CharField(_("title"), max_length=150, help_text=_("e.g. CEO, President"))
    body = models.CharField(_("held in"), max_length=20, choices=Body.choices)
    division = models.ForeignKey(
        Division,
        verbose_name=_("division"),
        on_delete=models.PROTECT,
        related_name="offices",
        null=True,
        blank=True,
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="offices",
        null=True,
        blank=True,
    )
    started_on = models.DateField(_("start date"), null=True, blank=True)
    ended_on = models.DateField(_("end date"), null=True, blank=True)

    objects = OfficeQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["person__name", "-started_on"]
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        constraints = [
            date_order_constraint("started_on", "ended_on", "office_end_after_start"),
            models.CheckConstraint(
                condition=(
                    Q(body="association", division__isnull=True, organisation__isnull=True)
                    | Q(body="division", division__isnull=False, organisation__isnull=True)
                    | Q(body="organisation", division__isnull=True, organisation__isnull=False)
                ),
                name="office_body_matches_relation",
                violation_error_message=_(
                    "Choose a division for a division office, an organisation for an "
                    "organisation office, and neither for an association office."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.full_title}"

    @property
    def full_title(self) -> str:
        if self.body == self.Body.DIVISION and self.division_id:
            return f"{self.title}, {self.division}"
        if self.body == self.Body.ORGANISATION and self.organisation_id:
            return f"{self.title}, {self.organisation}"
        return f"{self.title}, {settings.ASSOCIATION_SHORT_NAME}"

    def clean(self) -> None:
        errors = {}
        if self.body == self.Body.DIVISION and not self.division_id:
            errors["division"] = _("A division office needs its division.")
        if self.body == self.Body.ORGANISATION and not self.organisation_id:
            errors["organisation"] = _("An organisation office needs its organisation.")
        if self.body != self.Body.DIVISION and self.division_id:
            errors["division"] = _("Only a division office names a division.")
        if self.body != self.Body.ORGANISATION and self.organisation_id:
            errors["organisation"] = _("Only an organisation office names an organisation.")
        if self.started_on and self.ended_on and self.ended_on < self.started_on:
            errors["ended_on"] = _("The end date cannot be before the start date.")
        if errors:
            raise ValidationError(errors)
