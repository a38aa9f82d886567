"""Admin form widgets that leave fewer ways to type a value wrong."""

import json

from django import forms
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from .timezones import grouped_time_zones, zones_by_country


class TimeZoneSelect(forms.Select):
    """Every IANA zone, grouped by region; a script offers the chosen country's zones first.

    `country_field` names the form's country field the script listens to. A stored value the
    list lacks (the tz database renames zones now and then) is kept as the first option, so
    that saving the form never changes it unasked.
    """

    def __init__(self, *, country_field: str = "country", attrs: dict | None = None) -> None:
        super().__init__(attrs=attrs, choices=grouped_time_zones())
        self.country_field = country_field

    def optgroups(self, name, value, attrs=None):
        groups = super().optgroups(name, value, attrs)
        current = next((str(v) for v in value if v not in (None, "")), "")
        if current and not any(
            option["value"] == current for _group, options, _index in groups for option in options
        ):
            option = self.create_option(name, current, current, True, 0, attrs=attrs)
            groups.insert(0, (None, [option], 0))
        return groups

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        # A text field's length limit means nothing on a list.
        context["widget"]["attrs"].pop("maxlength", None)
        context["widget"]["attrs"].update(
            {
                "data-time-zone-select": "",
                "data-country-field": self.country_field,
                "data-country-group-label": str(_("Zones of the chosen country")),
                "data-picked-label": str(_("Set from the country:")),
            }
        )
        return context

    def render(self, name, value, attrs=None, renderer=None) -> str:
        html = super().render(name, value, attrs, renderer)
        element_id = (attrs or {}).get("id") or self.attrs.get("id") or f"id_{name}"
        # Zone names hold no markup; "<" is escaped all the same.
        data = json.dumps(zones_by_country()).replace("<", "\\u003c")
        return html + format_html(
            '<script type="application/json" id="{}-zones-by-country">{}</script>',
            element_id,
            mark_safe(data),
        )

    @property
    def media(self) -> forms.Media:
        return forms.Media(js=["core/admin-time-zone.js"])


class TolerantAutocompleteSelect(AutocompleteSelect):
    """The admin's autocomplete shows a posted value again by looking it up, and that lookup
    fails on a value that is not a key ("x' OR 1=1"): show the field empty beside its error."""

    def optgroups(self, name, value, attrs=None):
        try:
            return super().optgroups(name, value, attrs)
        except (ValueError, TypeError, ValidationError):
            return super().optgroups(name, [], attrs)


class TolerantAutocompleteSelectMultiple(AutocompleteSelectMultiple):
    def optgroups(self, name, value, attrs=None):
        try:
            return super().optgroups(name, value, attrs)
        except (ValueError, TypeError, ValidationError):
            return super().optgroups(name, [], attrs)
