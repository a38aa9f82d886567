from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from .models import Membership


class MembershipInlineFormSet(BaseInlineFormSet):
    """An organisation's memberships, checked against each other as edited.

    `Membership.clean()` and the open-membership constraint only see saved rows; two new rows
    that overlap, or two open periods, would otherwise reach the database.
    """

    def clean(self) -> None:
        super().clean()
        kept = [
            form.cleaned_data
            for form in self.forms
            if form.is_valid()
            and form.cleaned_data.get("started_on")
            and not self._should_delete_form(form)
        ]
        errors = []
        kept.sort(key=lambda row: row["started_on"])
        for index, first in enumerate(kept):
            first_end = first.get("ended_on")
            for second in kept[index + 1 :]:
                if first_end is None or second["started_on"] <= first_end:
                    errors.append(
                        ValidationError(
                            _("The periods starting %(first)s and %(second)s overlap."),
                            code="membership_overlap",
                            params={"first": first["started_on"], "second": second["started_on"]},
                        )
                    )
        if sum(row.get("status") in Membership.OPEN_STATUSES for row in kept) > 1:
            errors.append(
                ValidationError(
                    _("Only one membership can be pending or active at a time."),
                    code="membership_open_twice",
                )
            )
        if errors:
            raise ValidationError(errors)


class MembershipForm(forms.ModelForm):
    """One membership on its own: its period may not overlap the organisation's others."""

    class Meta:
        model = Membership
        fields = ["organisation", "category", "status", "started_on", "ended_on", "notes"]

    def clean(self) -> dict:
        data = super().clean()
        organisation, started_on = data.get("organisation"), data.get("started_on")
        if organisation and started_on:
            others = Membership.objects.filter(organisation=organisation).exclude(
                pk=self.instance.pk
            )
            if others.overlapping(started_on, data.get("ended_on")).exists():
                raise ValidationError(
                    _("This period overlaps another membership of the same organisation."),
                    code="membership_overlap",
                )
        return data
