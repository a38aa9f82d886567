"""People and the offices they hold."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import (
    Case,
    F,
    Prefetch,
    Q,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from model_utils.models import TimeStampedModel
from simple_history.models import HistoricalRecords

from core.db.constraints import date_order_constraint
from core.db.uploads import image_upload_name
from core.routes import fast_reverse
from core.validators import validate_image_upload, validate_single_line

from .organisations import Organisation
from .vocabulary import Division


def person_photo_path(instance: models.Model, filename: str) -> str:
    return image_upload_name("people/photos", instance, filename, field="photo")


class PersonQuerySet(models.QuerySet):
    def public(self) -> "PersonQuerySet":
        """People the public pages, search, sitemap and API show: not the removed ones."""
        return self.filter(removed_at__isnull=True)

    def with_public_bio(self) -> "PersonQuerySet":
        """`shown_bio`: the biography with the person's consent, else ""."""
        return self.annotate(
            shown_bio=Case(
                When(display_consent=True, then=F("bio")),
                default=Value(""),
                output_field=models.TextField(),
            )
        )

    def for_cards(self) -> "PersonQuerySet":
        return self.select_related("affiliation")

    def for_api(self) -> "PersonQuerySet":
        """What the API's person shape reads, wherever it appears (lists, expansions)."""
        return self.select_related("affiliation").with_current_offices()

    def with_current_offices(self, on: datetime.date | None = None) -> "PersonQuerySet":
        return self.prefetch_related(
            Prefetch(
                "offices",
                queryset=Office.objects.current(on=on).for_titles(),
                to_attr="current_offices",
            )
        )


class Person(TimeStampedModel):
    """A speaker, office holder, signatory or contact."""

    honorific = models.CharField(
        _("honorific"),
        max_length=30,
        blank=True,
        help_text=_("e.g. Dr, Prof., Ms"),
        validators=[validate_single_line],
    )
    name = models.CharField(
        _("full name"),
        max_length=200,
        help_text=_("As the person writes it."),
        validators=[validate_single_line],
    )
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    job_title = models.CharField(
        _("job title"), max_length=200, blank=True, validators=[validate_single_line]
    )
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
    # The person's own account: with it they see, correct, export or remove their record.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
    )
    # Without consent a person is shown by name and role only: no photo, biography or website.
    display_consent = models.BooleanField(
        _("consents to a full public profile"),
        default=False,
        help_text=_(
            "Tick once the person has agreed that their photo, biography and website are shown. "
            "Without it the portal shows their name and role only."
        ),
    )
    consent_recorded_on = models.DateField(_("consent recorded on"), null=True, blank=True)
    consent_note = models.CharField(
        _("how consent was given"),
        max_length=300,
        blank=True,
        validators=[validate_single_line],
        help_text=_("e.g. speaker form of 12 March 2026, e-mail from the person"),
    )
    removed_at = models.DateTimeField(
        _("removed at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Set when the record was anonymised at the person's request."),
    )

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
        return fast_reverse("members:person-detail", slug=self.slug)

    # What the public pages and the API show: the full profile only with consent.
    @property
    def public_photo(self):
        return self.photo if self.display_consent else None

    @property
    def public_bio(self) -> str:
        return self.bio if self.display_consent else ""

    @property
    def public_website(self) -> str:
        return self.website if self.display_consent else ""

    @property
    def is_removed(self) -> bool:
        return self.removed_at is not None


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
    title = models.CharField(
        _("title"),
        max_length=150,
        help_text=_("e.g. CEO, President"),
        validators=[validate_single_line],
    )
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
