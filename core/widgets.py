"""Admin form widgets that leave fewer ways to type a value wrong, and a quicker renderer
for the public filter forms' widgets."""

import copy
import json
import threading

from django import forms
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.forms.renderers import DjangoTemplates
from django.template import Context
from django.template.base import render_value_in_context
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import SafeData, mark_safe
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


# The widget templates WidgetRenderer draws in Python, and the option template a select's
# options must use for it to do so.
INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in ("input", "text", "search", "number", "email", "url", "date", "hidden")
)
SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"
_TEXT = Context(autoescape=True)


def _text(value) -> str:
    """`{{ value }}` in a template. A plain string (most labels) is only escaped: what the
    template's localizing and escaping come to for it, without the calls."""
    if type(value) is str:
        return escape(value)
    return render_value_in_context(value, _TEXT)


def _formatted(value) -> str:
    """`{{ value|stringformat:'s' }}` in a template."""
    return conditional_escape(value) if isinstance(value, SafeData) else escape(value)


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html."""
    return "".join(
        f" {_text(name)}" if value is True else f' {_text(name)}="{_formatted(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


class WidgetRenderer(DjangoTemplates):
    """Draws inputs and selects in Python, with the same markup as Django's widget templates.

    A list's filter form offers hundreds of options (countries, organisations, years), and
    Django draws each option with two template includes: most of the time a list page took
    to render went there. Any other widget, or an option with a template of its own, is
    drawn by the templates as before.
    """

    def render(self, template_name, context, request=None):
        widget = context.get("widget") if isinstance(context, dict) else None
        if widget is not None:
            if template_name in INPUT_TEMPLATES:
                return self.input(widget)
            if template_name == SELECT_TEMPLATE and all(
                option["template_name"] == OPTION_TEMPLATE
                for _name, options, _index in widget["optgroups"]
                for option in options
            ):
                return self.select(widget)
        return super().render(template_name, context, request)

    @staticmethod
    def input(widget: dict) -> str:
        value = widget["value"]
        shown = "" if value is None else f' value="{_formatted(value)}"'
        return (
            f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"'
            f"{shown}{_attrs(widget['attrs'])}>"
        )

    @staticmethod
    def select(widget: dict) -> str:
        parts = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(f'\n  <optgroup label="{_text(group_name)}">')
            for option in options:
                parts.append(
                    f'\n  <option value="{_formatted(option["value"])}"'
                    f"{_attrs(option['attrs'])}>{_text(option['label'])}</option>\n"
                )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return "".join(parts)


widget_renderer = WidgetRenderer()


# Each list of choices a select showed, with its options written: (value, option, selected
# option) each; the oldest lists go first.
_WRITTEN_OPTIONS: dict[tuple, tuple[tuple[str, str, str], ...] | None] = {}
_WRITTEN_OPTIONS_LOCK = threading.Lock()
WRITTEN_OPTIONS_MAX = 256


def _written_options(choices: tuple) -> tuple[tuple[str, str, str], ...] | None:
    """Each option of `choices` (type of the value, value, label) as WidgetRenderer.select
    writes it, plain and selected; None for choices in groups, or that cannot be hashed
    (drawn as before)."""
    try:
        return _WRITTEN_OPTIONS[choices]
    except KeyError:
        pass
    except TypeError:  # a group's list, or a value of an unhashable kind
        return None
    written = []
    for _type, value, label in choices:
        if isinstance(label, (list, tuple)):
            written = None
            break
        value = "" if value is None else value
        start = f'\n  <option value="{_formatted(value)}"'
        end = f">{_text(label)}</option>\n"
        written.append((str(value), start + end, f"{start} selected{end}"))
    written = None if written is None else tuple(written)
    with _WRITTEN_OPTIONS_LOCK:
        while len(_WRITTEN_OPTIONS) >= WRITTEN_OPTIONS_MAX:
            del _WRITTEN_OPTIONS[next(iter(_WRITTEN_OPTIONS))]
        _WRITTEN_OPTIONS[choices] = written
    return written


class WrittenOptions:
    """A Select's `render` from options written once per list of choices (`_written_options`),
    for WidgetRenderer.

    Django builds a dict per option, then the renderer writes it, on every request: a country
    select (250 options) took a millisecond and a half. A list of choices is the same from one
    request to the next (the countries, the kinds, the facets' counts while nothing changes):
    its options are written once, and each request only marks the chosen ones. The markup is
    Django's: the first matching option is selected (all of them for a multiple select).
    """

    def render(self, name, value, attrs=None, renderer=None):
        written = None
        if (
            isinstance(renderer, WidgetRenderer)
            and self.template_name == SELECT_TEMPLATE
            and self.option_template_name == OPTION_TEMPLATE
            and not self.option_inherits_attrs
        ):
            # Typed: 1, 1.0 and True are equal keys, but not the same option value.
            choices = tuple((type(option), option, label) for option, label in self.choices)
            written = _written_options(choices)
        if written is None:
            return super().render(name, value, attrs, renderer)
        widget_attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            widget_attrs["multiple"] = True
        values = set(self.format_value(value))
        parts = [f'<select name="{_text(name)}"{_attrs(widget_attrs)}>']
        chosen = False
        for option_value, plain, selected in written:
            if option_value in values and (self.allow_multiple_selected or not chosen):
                parts.append(selected)
                chosen = True
            else:
                parts.append(plain)
        parts.append("\n</select>")
        return mark_safe("".join(parts))


_WRITTEN_CLASSES: dict[type, type] = {}


def with_written_options(widget: forms.Widget) -> forms.Widget:
    """`widget`, a plain Select or SelectMultiple, as one rendering with `WrittenOptions`."""
    written_class = _WRITTEN_CLASSES.get(type(widget))
    if written_class is None:
        written_class = type(f"Written{type(widget).__name__}", (WrittenOptions, type(widget)), {})
        _WRITTEN_CLASSES[type(widget)] = written_class
    written = copy.copy(widget)
    written.__class__ = written_class
    return written
