"""What a conference leaves: decisions, awards and quotes."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from model_utils.models import TimeStampedModel
from simple_history.models import HistoricalRecords

from core.validators import validate_single_line
from members.models import Organisation, Person


class Decision(TimeStampedModel):
    """A decision taken at a conference, such as the General Assembly's choice of next host."""

    class Kind(models.TextChoices):
        NEXT_HOST = "next_host", _("Next host chosen")
        OTHER = "other", _("Other decision")

    conference = models.ForeignKey(
        "conferences.Conference",
        verbose_name=_("conference"),
        on_delete=models.CASCADE,
        related_name="decisions",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=250, validators=[validate_single_line])
    text = models.TextField(_("text"), blank=True)
    host_city = models.CharField(
        _("host city"), max_length=120, blank=True, validators=[validate_single_line]
    )
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
        "conferences.Conference",
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
        "conferences.Conference",
        verbose_name=_("conference"),
        on_delete=models.CASCADE,
        related_name="awards",
    )
    name = models.CharField(_("award"), max_length=200, validators=[validate_single_line])
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
        "conferences.Conference",
        verbose_name=_("conference"),
        on_delete=models.CASCADE,
        related_name="quotes",
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="quotes"
    )
    session = models.ForeignKey(
        "conferences.Session",
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
