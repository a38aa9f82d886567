"""Organisations and their membership periods."""

import datetime

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
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from model_utils.models import TimeStampedModel
from simple_history.models import HistoricalRecords

from core.db.constraints import (
    ConstraintErrorFields,
    coordinate_constraints,
    date_order_constraint,
    missing_coordinate,
)
from core.db.references import as_references, unread_by_reference
from core.db.uploads import image_upload_name
from core.routes import fast_reverse
from core.validators import validate_image_upload, validate_single_line

from ..validators import validate_ror_id, validate_wikidata_id
from .vocabulary import Division, Topic


def organisation_logo_path(instance: models.Model, filename: str) -> str:
    return image_upload_name("organisations/logos", instance, filename, field="logo")


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
        """What the API's organisation shape reads, wherever it appears (lists, expansions);
        its topics as the list `topic_list`."""
        return (
            self.select_related("division")
            .defer(*unread_by_reference(Division, "division"))
            .prefetch_related(
                Prefetch("topics", as_references(Topic.objects.all()), to_attr="topic_list")
            )
            .with_membership()
        )


class Organisation(ConstraintErrorFields, TimeStampedModel):
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

    name = models.CharField(_("name"), max_length=200, validators=[validate_single_line])
    short_name = models.CharField(
        _("short name"),
        max_length=40,
        blank=True,
        help_text=_("Acronym, e.g. CMU STeP."),
        validators=[validate_single_line],
    )
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    country = CountryField(_("country"))
    city = models.CharField(
        _("city"), max_length=120, blank=True, validators=[validate_single_line]
    )
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
    ror_id = models.CharField(
        _("ROR ID"), max_length=9, blank=True, validators=[validate_single_line, validate_ror_id]
    )
    wikidata_id = models.CharField(
        _("Wikidata ID"),
        max_length=20,
        blank=True,
        validators=[validate_single_line, validate_wikidata_id],
    )

    objects = OrganisationQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[topics])

    constraint_error_fields = {
        "organisation_name_country_unique": "name",
        "organisation_coordinates_both_or_neither": missing_coordinate,
    }

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        # The record's own rules first, then those comparing it with other records: the
        # API lists the errors of a refused write in this order.
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="organisation_name_not_blank"),
            models.CheckConstraint(condition=~Q(country=""), name="organisation_country_set"),
            *coordinate_constraints("organisation"),
            models.UniqueConstraint(
                Lower("name"),
                F("country"),
                name="organisation_name_country_unique",
                violation_error_code="unique",
                violation_error_message=_("An organisation with this name exists in this country."),
            ),
            models.UniqueConstraint(
                fields=["ror_id"],
                condition=~Q(ror_id=""),
                name="organisation_ror_id_unique",
                violation_error_code="unique",
                violation_error_message=_("Another organisation has this ROR ID."),
            ),
            models.UniqueConstraint(
                fields=["wikidata_id"],
                condition=~Q(wikidata_id=""),
                name="organisation_wikidata_id_unique",
                violation_error_code="unique",
                violation_error_message=_("Another organisation has this Wikidata ID."),
            ),
        ]
        # The lists' order (the directory, the API), alone and within a country: a first
        # page reads its rows in order instead of sorting every organisation.
        indexes = [
            models.Index(fields=["country", "name"]),
            models.Index(fields=["name"]),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return fast_reverse("members:organisation-detail", slug=self.slug)

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
