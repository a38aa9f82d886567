from django import forms, template

from core.widgets import widget_renderer, with_written_options

register = template.Library()


@register.filter
def applied_filters(form: forms.Form) -> int:
    """How many of the form's filters the visitor has set (a folded form says so)."""
    if not form.is_bound:
        return 0
    return sum(
        1
        for name in form.fields
        if any(value.strip() for value in form.data.getlist(form.add_prefix(name)))
    )


@register.filter
def widget_html(field: forms.BoundField) -> str:
    """`{{ field }}`, the same markup, drawn without a template per option; a select's options
    written once per list of choices (core/widgets.py)."""
    field.form.renderer = widget_renderer
    widget = field.field.widget
    if type(widget) in (forms.Select, forms.SelectMultiple):
        return field.as_widget(widget=with_written_options(widget))
    return str(field)
