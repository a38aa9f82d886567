import csv
import io
import json

from rest_framework import renderers

# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return str(value["slug"]) if "slug" in value else json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "; ".join(cell(item) for item in value)
    if isinstance(value, str):
        return "'" + value if value.startswith(FORMULA_STARTS) else value
    return str(value)


def is_groups(data) -> bool:
    return isinstance(data, dict) and "groups" in data and "group_by" in data


class JSONRenderer(renderers.JSONRenderer):
    """JSON with <, > and & written as \\u escapes, as Django's json_script does.

    The same data for any JSON parser; but a value a caller sent, echoed in an error, can
    never read as markup should the body ever be shown as HTML.
    """

    def render(self, data, accepted_media_type=None, renderer_context=None):
        body = super().render(data, accepted_media_type, renderer_context)
        return body.replace(b"<", b"\\u003c").replace(b">", b"\\u003e").replace(b"&", b"\\u0026")


class CSVRenderer(renderers.BaseRenderer):
    """The rows of a list as CSV, one column per field of the JSON shape.

    A reference is written as its slug, a list of them as slugs joined by “; ”. Paging works
    as in JSON: the `Link` header points to the next page.
    """

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        renderer_context = renderer_context or {}
        if is_groups(data):
            # Counts by `group_by` (core/rest/grouping.py): one row per group.
            rows, columns = data["groups"], ["value", "label", "count"]
        else:
            rows = data.get("results", []) if isinstance(data, dict) else data or []
            columns = self.columns(rows, renderer_context.get("view"))
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([cell(row.get(column)) for column in columns])
        return buffer.getvalue().encode(self.charset)

    def columns(self, rows, view) -> list[str]:
        if view is not None:
            return list(view.get_serializer().fields)
        return list(rows[0]) if rows else []
