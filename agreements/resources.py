import datetime

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export import fields

from conferences.models import Conference
from core.resources import (
    CountryWidget,
    PortalResource,
    SlugListWidget,
    SlugWidget,
    first_slugs,
)
from members.models import Organisation, Topic

from .models import MINIMUM_PARTIES, Agreement, AgreementParty
from .services import record_agreement


class PartiesField(fields.Field):
    """The organisations that signed, as slugs in the parties' order."""

    def get_value(self, agreement: Agreement):
        if agreement.pk is None:
            return None
        return Organisation.objects.filter(agreement_parties__agreement=agreement).order_by(
            "agreement_parties__order", "agreement_parties__pk"
        )


def party_dates_from(cell: object, parties: list[Organisation]) -> dict[int, datetime.date | None]:
    """The `parties_signed_on` cell: the parties' signing dates in the parties' order, ISO
    dates separated by commas, one left empty when not known; the whole cell empty when none
    is known (the parties' dates then stay as they are)."""
    text = str(cell or "").strip()
    if not text:
        return {}
    items = [item.strip() for item in text.split(",")]
    if len(items) != len(parties):
        raise ValidationError(
            _("Give one date per party (%(count)s), in the parties' order, or none.")
            % {"count": len(parties)}
        )
    dates = {}
    for party, item in zip(parties, items, strict=True):
        try:
            dates[party.pk] = datetime.date.fromisoformat(item) if item else None
        except ValueError:
            raise ValidationError(
                _("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": item[:40]}
            ) from None
    return dates


class AgreementResource(PortalResource):
    """Agreements are written through `record_agreement`, which keeps at least two parties."""

    parties = PartiesField(
        attribute="parties", column_name="parties", widget=SlugListWidget(Organisation)
    )
    signed_at_conference = fields.Field(
        attribute="signed_at_conference",
        column_name="signed_at_conference",
        widget=SlugWidget(Conference),
    )
    signed_country = fields.Field(
        attribute="signed_country", column_name="signed_country", widget=CountryWidget()
    )
    topics = fields.Field(attribute="topics", column_name="topics", widget=SlugListWidget(Topic))
    parties_signed_on = fields.Field(column_name="parties_signed_on", readonly=True)
    follows = fields.Field(attribute="follows", column_name="follows", widget=SlugWidget(Agreement))

    class Meta(PortalResource.Meta):
        model = Agreement
        fields = [
            "slug",
            "title",
            "kind",
            "status",
            "parties",
            "parties_signed_on",
            "signed_on",
            "signed_at_conference",
            "signed_city",
            "signed_country",
            "effective_on",
            "expires_on",
            "terminated_on",
            "termination_reason",
            "follows",
            "relation",
            "topics",
            "summary",
            "source_url",
            "is_public",
        ]

    template_required = frozenset({"parties"})
    template_examples = {
        "slug": "example-cooperation-agreement",
        "title": "Example cooperation agreement",
        "kind": Agreement.Kind.COOPERATION,
        "status": Agreement.Status.SIGNED,
        "signed_city": "Espoo",
        "signed_country": "FI",
        "is_public": "1",
    }

    def template_example(self) -> dict[str, str]:
        # Signed a month ago: a date in the past, as a signed agreement has.
        signed_on = timezone.localdate() - datetime.timedelta(days=30)
        return {
            **super().template_example(),
            "parties": ", ".join(first_slugs(Organisation, MINIMUM_PARTIES)),
            "signed_on": signed_on.isoformat(),
            "topics": ", ".join(first_slugs(Topic)),
        }

    def filter_export(self, queryset, **kwargs):
        return (
            queryset.select_related("signed_at_conference", "follows")
            .prefetch_related(None)
            .prefetch_related(
                Prefetch("parties", AgreementParty.objects.select_related("organisation")),
                "topics",
            )
        )

    def dehydrate_parties(self, agreement: Agreement) -> str:
        return ", ".join(party.organisation.slug for party in agreement.parties.all())

    def dehydrate_parties_signed_on(self, agreement: Agreement) -> str:
        dates = [party.signed_on for party in agreement.parties.all()]
        if not any(dates):
            return ""
        return ", ".join(date.isoformat() if date else "" for date in dates)

    def import_instance(self, instance, row, **kwargs) -> None:
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if "parties" not in errors:
            try:
                parties = self.fields["parties"].clean(row) if "parties" in row else []
                self._check_parties(parties)
            except ValidationError as error:
                errors["parties"] = error.error_list
            else:
                try:
                    party_dates_from(row.get("parties_signed_on"), parties)
                except ValidationError as error:
                    errors["parties_signed_on"] = error.error_list
        if errors:
            raise ValidationError(errors)

    @staticmethod
    def _check_parties(parties: list[Organisation]) -> None:
        if len(parties) < MINIMUM_PARTIES:
            raise ValidationError(
                _("An agreement needs at least %(minimum)s parties.") % {"minimum": MINIMUM_PARTIES}
            )
        if len(set(parties)) != len(parties):
            raise ValidationError(_("The same organisation cannot sign an agreement twice."))

    def save_instance(self, instance, is_create, row, **kwargs) -> None:
        self.before_save_instance(instance, row, **kwargs)
        topics = (
            self.fields["topics"].clean(row)
            if "topics" in row
            else list(instance.topics.all())
            if instance.pk
            else []
        )
        conference = instance.signed_at_conference
        parties = self.fields["parties"].clean(row)
        agreement = record_agreement(
            slug=instance.slug,
            title=instance.title,
            kind=instance.kind,
            status=instance.status,
            parties=parties,
            party_dates=party_dates_from(row.get("parties_signed_on"), parties),
            signed_on=instance.signed_on,
            signed_at_conference=conference,
            # Left blank, the place is the conference's, as in the admin's form.
            signed_city=instance.signed_city or (conference.city if conference else ""),
            signed_country=instance.signed_country.code
            or (conference.country.code if conference else ""),
            effective_on=instance.effective_on,
            expires_on=instance.expires_on,
            terminated_on=instance.terminated_on,
            termination_reason=instance.termination_reason,
            follows=instance.follows,
            relation=instance.relation,
            topics=topics,
            summary=instance.summary,
            source_url=instance.source_url,
            is_public=instance.is_public,
        )
        instance.pk = agreement.pk
        # The preview shows what was written, the conference's place included.
        instance.signed_city, instance.signed_country = (
            agreement.signed_city,
            agreement.signed_country,
        )
        instance._state.adding = False
        self.after_save_instance(instance, row, **kwargs)

    def save_m2m(self, instance, row, **kwargs) -> None:
        """Nothing left to do: `record_agreement` set the parties and topics."""
