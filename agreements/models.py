import datetime

from django.conf import global_settings, settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Count, Exists, F, OuterRef, Prefetch, Q, Subquery, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from model_utils.models import TimeStampedModel
from simple_history.models import HistoricalRecords

from conferences.models import Conference
from core.db.constraints import date_order_constraint
from core.db.references import as_references
from core.db.uploads import unique_upload_name
from core.routes import fast_reverse
from core.validators import validate_single_line
from members.models import Membership, Organisation, Person, Topic

from .storage import document_storage
from .validators import validate_pdf_upload

MINIMUM_PARTIES = 2


DOCUMENT_FOLDER = "agreements/documents"


def agreement_document_path(instance: models.Model, filename: str) -> str:
    # The validator admits a PDF only, read by a parser: the client's name never decides.
    # Named after the agreement (a document has no slug of its own).
    return unique_upload_name(
        DOCUMENT_FOLDER, getattr(instance, "agreement", instance), extension=".pdf"
    )


# The agreements amending or renewing one, oldest first (`with_chain()`).
LATER_ONES_ORDER = (F("signed_on").asc(nulls_last=True), "pk")

# What the API's agreements do not read of a party's organisation and signatory.
REFERENCED_ONLY = (
    "organisation__logo",
    "organisation__description",
    "signatory__photo",
    "signatory__bio",
)


class AgreementQuerySet(models.QuerySet):
    def public(self) -> "AgreementQuerySet":
        return self.filter(is_public=True).exclude(status=Agreement.Status.DRAFT)

    def between(self, *organisations: Organisation) -> "AgreementQuerySet":
        queryset = self
        for organisation in organisations:
            queryset = queryset.filter(parties__organisation=organisation)
        return queryset.distinct()

    def with_parties(self) -> "AgreementQuerySet":
        """Each agreement's parties with their organisations."""
        return self.prefetch_related(
            Prefetch("parties", queryset=AgreementParty.objects.select_related("organisation"))
        )

    def with_derived_status(self, today: datetime.date | None = None) -> "AgreementQuerySet":
        """Each agreement's status as its dates make it today, as `derived_status`: the same
        rules as `Agreement.derived_status`, in SQL (the daily refresh finds the stale ones)."""
        today = today or timezone.localdate()
        status = Agreement.Status
        stored = F("status")
        return self.annotate(
            derived_status=Case(
                When(status=status.DRAFT, then=stored),
                When(terminated_on__lte=today, then=Value(status.TERMINATED)),
                # A termination recorded without its date (before the dates were kept).
                When(status=status.TERMINATED, terminated_on__isnull=True, then=stored),
                # An expiry recorded without its date, likewise.
                When(status=status.EXPIRED, expires_on__isnull=True, then=stored),
                When(expires_on__lt=today, then=Value(status.EXPIRED)),
                When(effective_on__lte=today, then=Value(status.ACTIVE)),
                When(effective_on__gt=today, then=Value(status.SIGNED)),
                # Without an entry into force, no date says more than what staff chose.
                default=stored,
                output_field=models.CharField(),
            )
        )

    def stale_status(self, today: datetime.date | None = None) -> "AgreementQuerySet":
        """Agreements whose stored status their dates no longer bear out."""
        return self.with_derived_status(today).exclude(status=F("derived_status"))

    def with_chain(self) -> "AgreementQuerySet":
        """The agreement this one amends or renews, and those amending or renewing it."""
        return self.select_related("follows").prefetch_related(
            Prefetch(
                "followed_by",
                queryset=Agreement.objects.only(
                    "pk", "slug", "title", "status", "is_public", "follows", "relation", "signed_on"
                ).order_by(*LATER_ONES_ORDER),
            )
        )

    def for_admin_list(self) -> "AgreementQuerySet":
        return self.select_related("signed_at_conference").annotate(party_count=Count("parties"))

    def for_list(self) -> "AgreementQuerySet":
        """What a public list or feed item shows: parties with their logos, focus areas."""
        return self.select_related("signed_at_conference").prefetch_related(
            Prefetch("parties", queryset=AgreementParty.objects.select_related("organisation")),
            "topics",
        )

    def for_api(self) -> "AgreementQuerySet":
        """What the API's agreement shapes read: parties with signatories, focus areas,
        documents, the agreements it amends or renews and those amending or renewing it.

        A party's organisation and signatory are references (id, slug, name): their logo,
        photo and long texts are left unread (`?expand=` loads whole organisations itself),
        which also spares each one the work done when a record with a file is loaded."""
        return (
            self.with_chain()
            .select_related("signed_at_conference")
            .prefetch_related(
                Prefetch(
                    "parties",
                    queryset=AgreementParty.objects.select_related("organisation", "signatory")
                    .defer(*REFERENCED_ONLY)
                    .with_confirmation(),
                ),
                Prefetch("topics", as_references(Topic.objects.all())),
                "documents",
            )
        )

    def for_network(self) -> "AgreementQuerySet":
        """What the cooperation graph reads: parties as nodes (with division and membership)."""
        current = Membership.objects.current().filter(organisation=OuterRef("organisation"))
        return self.prefetch_related(
            Prefetch(
                "parties",
                queryset=AgreementParty.objects.select_related("organisation__division").annotate(
                    organisation_is_member=Exists(current)
                ),
            ),
            "topics",
        )

    def for_detail(self) -> "AgreementQuerySet":
        """The public page: as `for_confirmations`, with the agreements it amends or renews
        and those amending or renewing it."""
        return self.for_confirmations().with_chain()

    def for_confirmations(self) -> "AgreementQuerySet":
        """What a party's answer is checked against (agreements/confirmations.py): the parties
        with their signatories and answers, the focus areas."""
        return self.select_related("signed_at_conference").prefetch_related(
            Prefetch(
                "parties",
                queryset=AgreementParty.objects.select_related(
                    "organisation", "signatory"
                ).with_confirmation(),
            ),
            "topics",
            "documents",
        )

    def due_for_reminders(self, today: datetime.date, within_days: int) -> "AgreementQuerySet":
        """Agreements still running that expire between today and `within_days` from now:
        signed or active (not drafts, not terminated or expired), public or not, and not
        renewed by a later agreement. An agreement renewed by moving its expiry date leaves
        the range by itself."""
        renewals = Agreement.objects.filter(
            follows=OuterRef("pk"), relation=Agreement.Relation.RENEWS
        )
        return self.filter(
            status__in=[self.model.Status.SIGNED, self.model.Status.ACTIVE],
            expires_on__range=(today, today + datetime.timedelta(days=within_days)),
        ).exclude(Exists(renewals))

    def involving(self, organisations) -> "AgreementQuerySet":
        """Agreements one of these organisations is a party to."""
        return self.filter(
            Exists(
                AgreementParty.objects.filter(
                    agreement=OuterRef("pk"), organisation__in=organisations
                )
            )
        )


class Agreement(TimeStampedModel):
    """A cooperation agreement between two or more organisations."""

    class Kind(models.TextChoices):
        COOPERATION = "cooperation", _("Cooperation agreement")
        MOU = "mou", _("Memorandum of understanding")
        LETTER_OF_INTENT = "letter_of_intent", _("Letter of intent")
        PARTNERSHIP = "partnership", _("Partnership agreement")
        OTHER = "other", _("Other agreement")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SIGNED = "signed", _("Signed")
        ACTIVE = "active", _("Active")
        EXPIRED = "expired", _("Expired")
        TERMINATED = "terminated", _("Terminated")

    class Relation(models.TextChoices):
        AMENDS = "amends", _("Amends")
        RENEWS = "renews", _("Renews")

    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300, validators=[validate_single_line])
    slug = models.SlugField(
        _("slug"),
        max_length=300,
        unique=True,
        error_messages={"unique": _("An agreement with this slug exists.")},
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=Status.choices,
        default=Status.SIGNED,
        help_text=_(
            "Draft is your choice; otherwise the dates decide (signed, in force, expired, "
            "terminated) when they are known."
        ),
    )
    signed_on = models.DateField(
        _("concluded on"),
        null=True,
        blank=True,
        help_text=_(
            "The date the last party signed: set from the parties' dates once each has one."
        ),
    )
    signed_at_conference = models.ForeignKey(
        Conference,
        verbose_name=_("signed at conference"),
        on_delete=models.PROTECT,
        related_name="agreements",
        null=True,
        blank=True,
    )
    signed_city = models.CharField(
        _("signed in (city)"), max_length=120, blank=True, validators=[validate_single_line]
    )
    signed_country = CountryField(_("signed in (country)"), blank=True)
    # The agreement's life (see `derived_status`).
    effective_on = models.DateField(_("entry into force"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    terminated_on = models.DateField(_("terminated on"), null=True, blank=True)
    termination_reason = models.CharField(
        _("reason for termination"),
        max_length=300,
        blank=True,
        validators=[validate_single_line],
    )
    # An agreement amending or renewing an earlier one; a chain of renewals is one cooperation.
    follows = models.ForeignKey(
        "self",
        verbose_name=_("amends or renews"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="followed_by",
    )
    relation = models.CharField(
        _("relation to it"), max_length=10, choices=Relation.choices, blank=True
    )
    topics = models.ManyToManyField(
        Topic, verbose_name=_("focus areas"), related_name="agreements", blank=True
    )
    summary = models.TextField(_("summary"), blank=True)
    is_public = models.BooleanField(
        _("public"), default=True, help_text=_("Untick to hide the whole agreement from visitors.")
    )
    source_url = models.URLField(_("source link"), blank=True)
    # Agreements members record in the members' area: who proposed it, for which party, and
    # staff's public note when it is published before every party has confirmed it.
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="proposed_agreements",
    )
    proposed_for = models.ForeignKey(
        Organisation,
        verbose_name=_("proposed for"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    confirmation_note = models.TextField(
        _("note on confirmations"),
        blank=True,
        help_text=_(
            "Shown on the public page when the agreement is published before every party has "
            "confirmed it, e.g. why a party could not be reached."
        ),
    )

    objects = AgreementQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[topics])

    class Meta:
        ordering = ["-signed_on", "title", "pk"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        get_latest_by = "signed_on"
        constraints = [
            date_order_constraint("effective_on", "expires_on", "agreement_expiry_after_effective"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(signed_on__isnull=False),
                name="agreement_signed_has_date",
                violation_error_message=_("A signed agreement needs its signing date."),
            ),
            models.CheckConstraint(condition=~Q(title=""), name="agreement_title_not_blank"),
            models.CheckConstraint(
                condition=Q(terminated_on__isnull=True, termination_reason="")
                | (Q(terminated_on__isnull=False) & ~Q(termination_reason="")),
                name="agreement_termination_has_date_and_reason",
                violation_error_message=_("A termination needs both its date and its reason."),
            ),
            models.CheckConstraint(
                condition=Q(terminated_on__isnull=True) | ~Q(status="draft"),
                name="agreement_draft_not_terminated",
                violation_error_message=_("A draft cannot be terminated."),
            ),
            models.CheckConstraint(
                condition=Q(terminated_on__isnull=True)
                | Q(effective_on__isnull=True)
                | Q(terminated_on__gte=F("effective_on")),
                name="agreement_terminated_after_entry_into_force",
                violation_error_message=_("It cannot be terminated before it entered into force."),
            ),
            models.CheckConstraint(
                condition=Q(terminated_on__isnull=True)
                | Q(signed_on__isnull=True)
                | Q(terminated_on__gte=F("signed_on")),
                name="agreement_terminated_after_signature",
                violation_error_message=_("It cannot be terminated before it was signed."),
            ),
            models.CheckConstraint(
                condition=Q(follows__isnull=True, relation="")
                | (Q(follows__isnull=False) & ~Q(relation="")),
                name="agreement_follows_with_relation",
                violation_error_message=_(
                    "Say whether it amends or renews the earlier agreement, and which one."
                ),
            ),
            models.CheckConstraint(
                condition=Q(follows__isnull=True) | ~Q(follows=F("id")),
                name="agreement_follows_not_itself",
                violation_error_message=_("An agreement cannot amend or renew itself."),
            ),
        ]
        indexes = [
            models.Index(fields=["is_public", "status", "signed_on"]),
            # The public lists in their default order: newest first, read straight off the
            # index (home, the agreement list and its deep pages, the API, the feed).
            models.Index(
                F("signed_on").desc(),
                "title",
                "id",
                name="agreement_public_order",
                condition=Q(is_public=True) & ~Q(status="draft"),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return fast_reverse("agreements:agreement-detail", slug=self.slug)

    @property
    def is_shown_to_visitors(self) -> bool:
        """As `AgreementQuerySet.public()`, for a record already loaded."""
        return self.is_public and self.status != self.Status.DRAFT

    def later_ones(self, relation: str) -> list["Agreement"]:
        """The agreements amending (or renewing) this one, oldest first; reads those
        `with_chain()` prefetched."""
        return [later for later in self.followed_by.all() if later.relation == relation]

    def chain(self) -> tuple[list["Agreement"], list["Agreement"]]:
        """The earlier agreements this one amends or renews (first first) and the later ones
        amending or renewing it (oldest first), each marked with `relation`. Reads what
        `with_chain()` loaded; a longer chain costs one query per further step."""
        earlier, seen = [], {self.pk}
        current = self.follows
        while current is not None and current.pk not in seen and len(seen) <= self.MAXIMUM_CHAIN:
            seen.add(current.pk)
            earlier.append(current)
            current = (
                Agreement.objects.filter(pk=current.follows_id).first()
                if current.follows_id
                else None
            )
        later, step = [], list(self.followed_by.all())
        while step and len(seen) <= self.MAXIMUM_CHAIN:
            step = [agreement for agreement in step if agreement.pk not in seen]
            seen.update(agreement.pk for agreement in step)
            later.extend(step)
            if step:
                step = list(
                    Agreement.objects.filter(follows__in=step).order_by(
                        F("signed_on").asc(nulls_last=True), "pk"
                    )
                )
        return earlier[::-1], later

    # How far a chain is followed (each step is a query): far beyond any real chain of
    # amendments and renewals.
    MAXIMUM_CHAIN = 50

    def earlier_ids(self) -> list[int]:
        """The agreements this one amends or renews, the one that one follows, and so on: from
        the nearest to the first. Stops at a loop (which `clean` refuses to make)."""
        chain: list[int] = []
        follows_id = self.follows_id
        while follows_id is not None and follows_id not in chain:
            chain.append(follows_id)
            if len(chain) > self.MAXIMUM_CHAIN:
                break
            follows_id = (
                Agreement.objects.filter(pk=follows_id).values_list("follows", flat=True).first()
            )
        return chain

    @property
    def party_organisations(self) -> list[Organisation]:
        """The organisations that signed, in the document's order; reads the parties prefetched."""
        return [party.organisation for party in self.parties.all()]

    @property
    def public_documents(self) -> list["AgreementDocument"]:
        """The documents visitors may open; reads the documents prefetched."""
        return [document for document in self.documents.all() if document.is_public]

    @property
    def public_signed_text(self) -> "AgreementDocument | None":
        """The first public signed text: what the API's `document` has always pointed to."""
        for document in self.public_documents:
            if document.kind == AgreementDocument.Kind.SIGNED_TEXT:
                return document
        return None

    @property
    def is_in_force(self) -> bool:
        today = datetime.date.today()
        return (
            self.status in {self.Status.SIGNED, self.Status.ACTIVE}
            and (self.effective_on is None or self.effective_on <= today)
            and (self.expires_on is None or self.expires_on >= today)
            and (self.terminated_on is None or self.terminated_on > today)
        )

    def derived_status(self, today: datetime.date | None = None) -> str:
        """The status the dates give today; `AgreementQuerySet.with_derived_status` says the
        same in SQL. A draft stays a draft (staff decide when it is signed), and where no date
        decides, the stored status stands: a termination or expiry recorded without its date,
        or signed or in force without an entry into force."""
        today = today or timezone.localdate()
        status = self.Status
        if self.status == status.DRAFT:
            return self.status
        if self.terminated_on is not None and self.terminated_on <= today:
            return status.TERMINATED
        if self.status == status.TERMINATED and self.terminated_on is None:
            return self.status
        if self.status == status.EXPIRED and self.expires_on is None:
            return self.status
        if self.expires_on is not None and self.expires_on < today:
            return status.EXPIRED
        if self.effective_on is not None:
            return status.ACTIVE if self.effective_on <= today else status.SIGNED
        return self.status

    def clean(self) -> None:
        errors = {}
        if self.status != self.Status.DRAFT and not self.signed_on:
            errors["signed_on"] = _("A signed agreement needs its signing date.")
        if self.effective_on and self.expires_on and self.expires_on < self.effective_on:
            errors["expires_on"] = _("The expiry date cannot be before the entry into force.")
        if self.terminated_on and not self.termination_reason.strip():
            errors["termination_reason"] = _("Say why it was terminated.")
        if self.termination_reason and not self.terminated_on:
            errors["terminated_on"] = _("Give the date it was terminated.")
        if self.terminated_on and self.status == self.Status.DRAFT:
            errors["terminated_on"] = _("A draft cannot be terminated.")
        elif self.terminated_on and self.effective_on and self.terminated_on < self.effective_on:
            errors["terminated_on"] = _("It cannot be terminated before it entered into force.")
        elif self.terminated_on and self.signed_on and self.terminated_on < self.signed_on:
            errors["terminated_on"] = _("It cannot be terminated before it was signed.")
        if self.follows_id and not self.relation:
            errors["relation"] = _("Say whether it amends or renews the earlier agreement.")
        if self.relation and not self.follows_id:
            errors["follows"] = _("Choose the agreement it amends or renews.")
        elif self.follows_id and self.follows_id == self.pk:
            errors["follows"] = _("An agreement cannot amend or renew itself.")
        elif self.follows_id and self.pk and self.pk in self.earlier_ids():
            errors["follows"] = _("That agreement already amends or renews this one.")
        if errors:
            raise ValidationError(errors)


LANGUAGE_CHOICES = sorted(global_settings.LANGUAGES, key=lambda language: str(language[1]))


class AgreementDocumentQuerySet(models.QuerySet):
    def public(self) -> "AgreementDocumentQuerySet":
        """The documents visitors may open: public ones of public agreements."""
        return self.filter(is_public=True, agreement__in=Agreement.objects.public())


class AgreementDocument(TimeStampedModel):
    """One PDF of an agreement: the signed text, an annex, a translation.

    Kept in the private storage whether public or not; `agreements.views.agreement_document`
    serves it to visitors only when it and its agreement are public.
    """

    class Kind(models.TextChoices):
        SIGNED_TEXT = "signed_text", _("Signed text")
        ANNEX = "annex", _("Annex")
        TRANSLATION = "translation", _("Translation")
        OTHER = "other", _("Other document")

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, default=Kind.SIGNED_TEXT
    )
    title = models.CharField(
        _("title"),
        max_length=200,
        blank=True,
        validators=[validate_single_line],
        help_text=_("Left blank, the kind is shown, e.g. “Annex”."),
    )
    language = models.CharField(
        _("language"), max_length=15, choices=LANGUAGE_CHOICES, default="en"
    )
    file = models.FileField(
        _("file (PDF)"),
        upload_to=agreement_document_path,
        storage=document_storage,
        max_length=200,
        validators=[validate_pdf_upload],
    )
    is_public = models.BooleanField(
        _("public"),
        default=False,
        help_text=_("Leave unticked to keep the document for staff and the parties' contacts."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = AgreementDocumentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            models.CheckConstraint(condition=~Q(file=""), name="agreement_document_has_file"),
            models.UniqueConstraint(fields=["file"], name="agreement_document_file_unique"),
            models.CheckConstraint(
                condition=Q(kind__in=["signed_text", "annex", "translation", "other"]),
                name="agreement_document_kind_known",
            ),
        ]

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        return self.title or str(self.get_kind_display())

    def get_absolute_url(self) -> str:
        return self.file.url

    @property
    def download_name(self) -> str:
        """The name a browser saves it under: the agreement's slug, the kind and language."""
        if self.kind == self.Kind.SIGNED_TEXT and self.order == 0:
            stem = self.agreement.slug
        else:
            stem = f"{self.agreement.slug}-{self.kind.replace('_', '-')}-{self.language}-{self.pk}"
        return f"{stem[:180]}.pdf"

    @property
    def size(self) -> int | None:
        """The file's size in bytes; None when the storage cannot say (a missing file)."""
        try:
            return self.file.size
        except (OSError, ValueError):
            return None


class AgreementPartyQuerySet(models.QuerySet):
    def with_confirmation(self) -> "AgreementPartyQuerySet":
        """Each party's answer, if any, as `answer_state`, `answer_fingerprint`, `answer_at` and
        `answer_message`: read in the parties' own query, never one more."""
        # One answer at most per party (confirmation_once_per_party): no order to keep, and
        # none to join the agreement for (the default one sorts by the agreement's).
        answers = AgreementConfirmation.objects.filter(
            agreement=OuterRef("agreement_id"), organisation=OuterRef("organisation_id")
        ).order_by()
        return self.annotate(
            answer_state=Subquery(answers.values("state")[:1]),
            answer_fingerprint=Subquery(answers.values("fingerprint")[:1]),
            answer_at=Subquery(answers.values("answered_at")[:1]),
            answer_message=Subquery(answers.values("message")[:1]),
        )


class AgreementParty(models.Model):
    """An organisation's side of an agreement: its reference number, who signed for it and
    when."""

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="parties"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="agreement_parties",
    )
    reference_number = models.CharField(
        _("reference number"), max_length=100, blank=True, validators=[validate_single_line]
    )
    signatory = models.ForeignKey(
        Person,
        verbose_name=_("signatory"),
        on_delete=models.PROTECT,
        related_name="signatures",
        null=True,
        blank=True,
    )
    signed_on = models.DateField(
        _("signed on"),
        null=True,
        blank=True,
        help_text=_("The date this party signed; the agreement is concluded on the last one."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = AgreementPartyQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "organisation"],
                name="agreement_party_unique",
                violation_error_message=_("This organisation is already a party."),
            )
        ]

    def __str__(self) -> str:
        return str(self.organisation)


class AgreementConfirmation(models.Model):
    """A party's confirmation of one exact version of an agreement's record: the fingerprint
    of what it confirmed (agreements/confirmations.py). When the record changes, the
    fingerprints differ and the party is asked again."""

    class State(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        CORRECTION = "correction", _("Correction asked")

    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("agreement"),
        on_delete=models.CASCADE,
        related_name="confirmations",
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("party"), on_delete=models.CASCADE, related_name="+"
    )
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.CONFIRMED
    )
    fingerprint = models.CharField(_("version confirmed"), max_length=64, editable=False)
    message = models.TextField(_("correction asked"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered at"))

    class Meta:
        ordering = ["agreement", "answered_at", "pk"]
        verbose_name = _("confirmation")
        verbose_name_plural = _("confirmations")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "organisation"], name="confirmation_once_per_party"
            ),
            models.CheckConstraint(
                condition=~Q(state="correction") | ~Q(message=""),
                name="confirmation_correction_says_what",
                violation_error_message=_("Say what should be corrected."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.get_state_display()}"


class AgreementReminder(models.Model):
    """That the parties' contacts and staff were told the agreement expires in `days_before`
    days: each reminder is sent once (agreements/services/reminders.py)."""

    class DaysBefore(models.IntegerChoices):
        NINETY = 90, _("90 days before expiry")
        THIRTY = 30, _("30 days before expiry")

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="reminders"
    )
    days_before = models.PositiveSmallIntegerField(_("reminder"), choices=DaysBefore.choices)
    expires_on = models.DateField(_("about the expiry on"))
    recipient_count = models.PositiveIntegerField(_("recipients"), default=0)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        ordering = ["agreement", "-days_before"]
        verbose_name = _("expiry reminder")
        verbose_name_plural = _("expiry reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "days_before"], name="agreement_reminder_once"
            ),
            models.CheckConstraint(
                condition=Q(days_before__in=[90, 30]), name="agreement_reminder_days_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement} — {self.get_days_before_display()}"
