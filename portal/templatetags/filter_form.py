from django import forms, template

from core.widgets import widget_renderer

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
    """`{{ field }}`, the same markup, drawn without a template per option."""
    field.form.renderer = widget_renderer
    return str(field)
