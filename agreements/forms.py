from collections import Counter

from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from .models import MINIMUM_PARTIES


class AgreementPartyFormSet(BaseInlineFormSet):
    """An agreement's parties: at least two, each organisation once.

    Rows marked for deletion and blank extra rows do not count. Runs before Django's own
    duplicate check so that staff read one clear message.
    """

    def clean(self) -> None:
        organisations = [
            form.cleaned_data["organisation"]
            for form in self.forms
            if form.cleaned_data.get("organisation") and not self._should_delete_form(form)
        ]
        errors = []
        if len(organisations) < MINIMUM_PARTIES:
            errors.append(
                ValidationError(
                    _("An agreement needs at least %(minimum)s parties."),
                    code="too_few_parties",
                    params={"minimum": MINIMUM_PARTIES},
                )
            )
        for organisation, count in Counter(organisations).items():
            if count > 1:
                errors.append(
                    ValidationError(
                        _("%(organisation)s is listed more than once; each party appears once."),
                        code="duplicate_party",
                        params={"organisation": organisation},
                    )
                )
        errors.extend(self._date_errors())
        if errors:
            raise ValidationError(errors)
        super().clean()

    def _date_errors(self) -> list[ValidationError]:
        """A party cannot sign after the agreement was terminated, nor (while some party's
        date is missing) after the date it was concluded."""
        dates = [
            form.cleaned_data.get("signed_on")
            for form in self.forms
            if form.cleaned_data.get("organisation") and not self._should_delete_form(form)
        ]
        latest = max((date for date in dates if date is not None), default=None)
        agreement = self.instance
        if latest is None:
            return []
        if agreement.terminated_on and latest > agreement.terminated_on:
            return [
                ValidationError(
                    _("A party cannot sign after the agreement was terminated."),
                    code="signed_after_termination",
                )
            ]
        if None in dates and agreement.signed_on and latest > agreement.signed_on:
            return [
                ValidationError(
                    _("A party cannot sign after the agreement was concluded (%(date)s)."),
                    code="signed_after_conclusion",
                    params={"date": agreement.signed_on.isoformat()},
                )
            ]
        return []
