from django import template
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag
def figure_table_rows(rows) -> SafeString:
    """A figure's table rows (`portal.figures.Row`), as the template wrote them: a row header,
    a link when the row has one, a number cell per value. Written here, without a template
    node per cell: the figures' tables hold a few hundred cells, and the template spent more
    on them than on the rest of the page."""
    lines = []
    for row in rows:
        label = conditional_escape(row.label)
        if row.url:
            label = f'<a href="{conditional_escape(row.url)}">{label}</a>'
        cells = "".join(
            f'<td class="number">{conditional_escape(localize(value))}</td>' for value in row.values
        )
        lines.append(f'<tr>\n<th scope="row">{label}</th>\n{cells}\n</tr>')
    return mark_safe("\n".join(lines))  # every part escaped above
