"""The API reference as plain data, read from the OpenAPI schema drf-spectacular generates.

The schema describes the code, so it is generated once per process (the code does not change
while the process runs) and turned into what the reference page shows: the operations by tag,
their parameters, request body fields, responses and errors, and an example of each.
"""

import json
import re
from dataclasses import dataclass, field
from functools import cache
from http import HTTPStatus
from typing import Any

from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.settings import spectacular_settings

from ..rendering import render_markdown

METHODS = ("get", "post", "put", "patch", "delete")
# An enum longer than this is shown by its size and first values (a country is one of 249 codes).
ENUM_SHOWN = 24
# How deep an example follows nested records before it stops.
EXAMPLE_DEPTH = 4
ACTIONS = {
    "list": "List",
    "retrieve": "Read one",
    "create": "Create",
    "update": "Replace",
    "partial_update": "Change",
    "destroy": "Delete",
}
STRING_EXAMPLES = {
    "date": "2025-09-19",
    "date-time": "2025-09-19T10:00:00Z",
    "uri": "https://example.org/",
    "email": "name@example.org",
    "uuid": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
}


@cache
def schema() -> dict:
    """The schema /api/v1/schema/ serves, generated once per process."""
    generator = spectacular_settings.DEFAULT_GENERATOR_CLASS or SchemaGenerator
    return generator().get_schema(request=None, public=True)


@dataclass
class Field:
    name: str
    type: SafeString
    required: bool = False
    description: str = ""
    enum: list[str] = field(default_factory=list)
    enum_size: int = 0
    where: str = ""  # a parameter's place: path, query or header


@dataclass
class Response:
    status: str
    meaning: str
    type: SafeString | str = ""
    media: list[str] = field(default_factory=list)
    error_types: list[str] = field(default_factory=list)
    error_codes: list[str] = field(default_factory=list)
    error_fields: list[str] = field(default_factory=list)

    @property
    def is_error(self) -> bool:
        return self.status[:1] in "45"


@dataclass
class Operation:
    id: str
    method: str
    path: str
    summary: str
    description: Any
    token: str  # "optional", "required" or ""
    parameters: list[Field]
    body: list[Field]
    body_record: str
    responses: list[Response]
    example_command: str  # the curl command up to the address, which the page completes
    example_path: str
    example_response: str
    example_status: str
    common_errors: list[str] = field(default_factory=list)  # statuses told once, above


@dataclass
class Tag:
    name: str
    description: Any
    operations: list[Operation]

    @property
    def id(self) -> str:
        return f"tag-{self.name}"


@dataclass
class Record:
    name: str
    description: Any
    fields: list[Field]

    @property
    def id(self) -> str:
        return f"record-{self.name}"


@dataclass
class Reference:
    title: str
    version: str
    guide: Any
    guide_sections: list[tuple[str, str]]
    security: Any
    tags: list[Tag]
    common_errors: list[Response]
    records: list[Record]
    error_example: str
    validation_example: str

    @property
    def operations(self) -> list[Operation]:
        return [operation for tag in self.tags for operation in tag.operations]


class Reader:
    """Walks one schema; `$ref`s resolved against its components."""

    def __init__(self, document: dict, guide_sections: dict[str, str], guide_url: str):
        self.document = document
        self.guide_sections = guide_sections  # title -> anchor
        self.guide_url = guide_url
        self.records_url = reverse("api:docs-records")
        self.components = document.get("components", {}).get("schemas", {})
        self.records: dict[str, None] = {}  # the records operations name, in order of use

    def resolve(self, node: dict) -> tuple[dict, str]:
        name = ""
        while isinstance(node, dict) and "$ref" in node:
            name = node["$ref"].rsplit("/", 1)[-1]
            node = self.components.get(name, {})
        return node, name

    def is_record(self, node: dict) -> bool:
        return node.get("type") == "object" or "properties" in node

    def type_of(self, node: dict) -> tuple[str, list[str]]:
        """A type in words ("array of string (date)"), and the records it names."""
        resolved, name = self.resolve(node)
        if name and self.is_record(resolved):
            return name, [name]
        records: list[str] = []
        options = resolved.get("oneOf") or resolved.get("anyOf")
        if options:
            words = []
            for option in options:
                option_node, option_name = self.resolve(option)
                if option_name in ("BlankEnum", "NullEnum") or option_node.get("maxLength") == 0:
                    word = "blank" if option_name != "NullEnum" else "null"
                else:
                    word, named = self.type_of(option)
                    records += named
                if word not in words:
                    words.append(word)
            text = " or ".join(words)
        elif resolved.get("allOf"):
            text, records = self.type_of(resolved["allOf"][0])
        elif resolved.get("type") == "array":
            item, records = self.type_of(resolved.get("items", {}))
            text = f"array of {item}"
        else:
            text = resolved.get("type", "any")
            if resolved.get("format"):
                text += f" ({resolved['format']})"
        if resolved.get("nullable") and "null" not in text:
            text += " or null"
        return text, records

    def type_html(self, node: dict) -> SafeString:
        """The type in words, each record it names a link to the record's fields."""
        text, records = self.type_of(node)
        for record in records:
            self.records.setdefault(record)
        if not records:
            return escape(text)
        names = re.compile(r"\b(" + "|".join(map(re.escape, records)) + r")\b")
        return mark_safe(  # record names are identifiers; the rest is escaped
            names.sub(
                lambda match: f'<a href="{self.records_url}#record-{match[1]}">{match[1]}</a>',
                escape(text),
            )
        )

    def enum_of(self, node: dict) -> list[str]:
        resolved, _ = self.resolve(node)
        values = [str(value) for value in resolved.get("enum", []) if value not in ("", None)]
        for option in resolved.get("oneOf", []) + resolved.get("allOf", []):
            values += [value for value in self.enum_of(option) if value not in values]
        if resolved.get("type") == "array":
            values += self.enum_of(resolved.get("items", {}))
        return values

    def field(self, name: str, node: dict, required: bool, description: str = "") -> Field:
        resolved, _ = self.resolve(node)
        enum = self.enum_of(node)
        description = description or node.get("description") or resolved.get("description", "")
        if enum:
            description = strip_enum_list(description)
        return Field(
            name=name,
            type=self.type_html(node),
            required=required,
            description=self.markdown(description),
            enum=enum[:ENUM_SHOWN],
            enum_size=len(enum),
        )

    def fields(self, node: dict, *, writing: bool = False) -> list[Field]:
        resolved, _ = self.resolve(node)
        required = set(resolved.get("required", []))
        return [
            self.field(name, prop, name in required)
            for name, prop in resolved.get("properties", {}).items()
            if not (writing and prop.get("readOnly"))
        ]

    def example(self, node: dict, depth: int = 0, *, writing: bool = False) -> Any:
        resolved, _ = self.resolve(node)
        if "example" in resolved:
            return resolved["example"]
        if resolved.get("enum"):
            return next((value for value in resolved["enum"] if value not in ("", None)), None)
        for key in ("oneOf", "anyOf", "allOf"):
            if resolved.get(key):
                return self.example(resolved[key][0], depth, writing=writing)
        kind = resolved.get("type")
        if kind == "object" or "properties" in resolved:
            if depth >= EXAMPLE_DEPTH:
                return {}
            required = set(resolved.get("required", []))
            return {
                name: self.example(prop, depth + 1, writing=writing)
                for name, prop in resolved.get("properties", {}).items()
                if not (writing and (prop.get("readOnly") or name not in required))
            }
        if kind == "array":
            if depth >= EXAMPLE_DEPTH:
                return []
            return [self.example(resolved.get("items", {}), depth + 1, writing=writing)]
        if kind == "integer":
            return 1
        if kind == "number":
            return 1.5
        if kind == "boolean":
            return True
        if kind == "string":
            return STRING_EXAMPLES.get(resolved.get("format", ""), "string")
        return None

    def response(self, status: str, answer: dict) -> Response:
        try:
            meaning = HTTPStatus(int(status)).phrase
        except ValueError:
            meaning = ""
        if answer.get("description"):
            meaning = answer["description"]
        content = answer.get("content", {})
        media = content.get("application/json") or next(iter(content.values()), None)
        result = Response(status=status, meaning=meaning, media=list(content))
        if media is None:
            return result
        node = media.get("schema", {})
        if status[:1] not in "45":
            result.type = self.type_html(node)
            return result
        resolved, _ = self.resolve(node)
        for shape in resolved.get("oneOf") or [node]:
            shape, _ = self.resolve(shape)
            properties = shape.get("properties", {})
            result.error_types += self.enum_of(properties.get("type", {}))
            error, _ = self.resolve(properties.get("errors", {}).get("items", {}))
            for item in error.get("oneOf") or [error]:
                item, _ = self.resolve(item)
                item_properties = item.get("properties", {})
                codes = self.enum_of(item_properties.get("code", {}))
                result.error_codes += [code for code in codes if code not in result.error_codes]
                fields = self.enum_of(item_properties.get("attr", {}))
                result.error_fields += [name for name in fields if name not in result.error_fields]
        return result

    def operation(self, path: str, method: str, spec: dict) -> Operation:
        operation_id = spec.get("operationId") or f"{method}-{path}"
        action = next(
            (words for suffix, words in ACTIONS.items() if operation_id.endswith(f"_{suffix}")),
            "",
        )
        summary = spec.get("summary") or action or operation_id.replace("_", " ").capitalize()
        parameters = [
            self.field(
                parameter["name"],
                parameter.get("schema", {}),
                bool(parameter.get("required")),
                parameter.get("description", ""),
            )
            for parameter in spec.get("parameters", [])
        ]
        for parameter, spec_parameter in zip(parameters, spec.get("parameters", []), strict=True):
            parameter.where = spec_parameter.get("in", "query")
        body_node = (
            spec.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
        )
        body, body_record = [], ""
        if body_node:
            body = self.fields(body_node, writing=True)
            body_record = self.resolve(body_node)[1]
        responses = [
            self.response(status, answer)
            for status, answer in sorted(spec.get("responses", {}).items())
        ]
        security = spec.get("security", [])
        token = "optional" if {} in security else ("required" if security else "")
        example_status, example_response = self.example_response(spec)
        return Operation(
            id=operation_id,
            method=method.upper(),
            path=path,
            summary=summary,
            description=self.markdown(spec.get("description", "")),
            token=token,
            parameters=parameters,
            body=body,
            body_record=body_record,
            responses=responses,
            example_command=self.example_command(method, body_node, token),
            example_path=self.example_path(path, spec),
            example_response=example_response,
            example_status=example_status,
        )

    def example_path(self, path: str, spec: dict) -> str:
        query = []
        for parameter in spec.get("parameters", []):
            value = self.example(parameter.get("schema", {}))
            if value == "string":
                value = parameter["name"].upper()  # a placeholder a reader replaces
            if parameter.get("in") == "path":
                path = path.replace("{" + parameter["name"] + "}", str(value))
            elif parameter.get("required") and parameter.get("in") == "query":
                query.append(f"{parameter['name']}={value}")
        return path + ("?" + "&".join(query) if query else "")

    def example_command(self, method: str, body_node: dict | None, token: str) -> str:
        lines = ["curl -s" + (f" -X {method.upper()}" if method != "get" else "")]
        if token == "required":
            lines.append("  -H 'Authorization: Bearer <key>'")
        if body_node:
            body = json.dumps(self.example(body_node, writing=True), ensure_ascii=False)
            lines.append("  -H 'Content-Type: application/json'")
            lines.append(f"  -d '{body}'")
        if len(lines) == 1:
            return lines[0] + " "
        return " \\\n".join(lines) + " \\\n  "

    def example_response(self, spec: dict) -> tuple[str, str]:
        for status, answer in sorted(spec.get("responses", {}).items()):
            if status[:1] != "2":
                continue
            media = answer.get("content", {}).get("application/json")
            if not media:
                return status, ""
            examples = media.get("examples")
            if examples:
                value = next(iter(examples.values())).get("value")
            else:
                value = self.example(media.get("schema", {}))
            return status, json.dumps(value, indent=2, ensure_ascii=False)
        return "", ""

    def record(self, name: str) -> Record:
        node = self.components.get(name, {})
        return Record(
            name=name,
            description=self.markdown(node.get("description", "")),
            fields=self.fields(node),
        )

    def markdown(self, text: str):
        """Markdown made safe; a guide section named in quotes (“Formats”) links to it."""
        if not text:
            return ""
        html = str(render_markdown(text))

        def link(match: re.Match) -> str:
            anchor = self.guide_sections.get(match[1])
            if anchor is None:
                return match[0]
            return f'<a href="{self.guide_url}#{anchor}">{match[0]}</a>'

        return mark_safe(QUOTED.sub(link, html))  # only links to known anchors are added


ENUM_LIST = re.compile(r"\n*(?:^\* `[^`\n]*` - [^\n]*\n?)+\Z", re.M)


def strip_enum_list(text: str) -> str:
    """drf-spectacular's "* `value` - Label" list: the page shows the values in their own cell."""
    return ENUM_LIST.sub("", text).strip()


QUOTED = re.compile(r"“([^”<]{1,80})”")
GUIDE_HEADING = re.compile(r'<h2 id="([^"]+)">(.*?)</h2>')
SHIFTED_HEADING = re.compile(r"<(/?)h([3-6])\b")
OPERATION_CODE = re.compile(
    r"<code>(?:(GET|POST|PUT|PATCH|DELETE) )?(/api/v1/[^<\s?]*)((?:\?[^<]*)?)</code>"
)


def guide_html(description: str) -> str:
    """The guide (the schema's description): its `##` sections are the page's <h2>."""
    html = str(render_markdown(description)) if description else ""
    return SHIFTED_HEADING.sub(lambda match: f"<{match[1]}h{int(match[2]) - 1}", html)


def link_operations(html: str, document: dict, reference_url: str) -> SafeString:
    """Each `/api/v1/…` address the guide quotes in code becomes a link to its operation."""
    targets = []
    for path, item in document.get("paths", {}).items():
        pattern = re.compile("^" + re.sub(r"\\\{[^}]*\\\}", "[^/]+", re.escape(path)) + "$")
        for method in METHODS:
            if method in item and item[method].get("operationId"):
                targets.append((path.count("{"), pattern, method, item[method]["operationId"]))
    targets.sort(key=lambda target: target[0])

    def link(match: re.Match) -> str:
        method = (match[1] or "get").lower()
        for _, pattern, target_method, operation_id in targets:
            if target_method == method and pattern.match(match[2]):
                return f'<a href="{reference_url}#{operation_id}">{match[0]}</a>'
        return match[0]

    return mark_safe(OPERATION_CODE.sub(link, html))  # links to known operations only


@cache
def reference() -> Reference:
    document = schema()
    info = document.get("info", {})
    guide = guide_html(info.get("description", ""))
    sections = GUIDE_HEADING.findall(guide)
    guide_url = reverse("api:docs-guide")
    reader = Reader(document, {title: anchor for anchor, title in sections}, guide_url)
    by_tag: dict[str, list[Operation]] = {}
    for path, item in document.get("paths", {}).items():
        for method in METHODS:
            if method in item:
                spec = item[method]
                tag = (spec.get("tags") or ["other"])[0]
                by_tag.setdefault(tag, []).append(reader.operation(path, method, spec))
    tags = []
    for name, operations in by_tag.items():
        # A viewset's docstring is every one of its operations' description: said once, above.
        descriptions = [str(operation.description) for operation in operations]
        shared = max(set(descriptions), key=descriptions.count) if descriptions else ""
        for operation in operations:
            if str(operation.description) == shared:
                operation.description = ""
        tags.append(Tag(name=name, description=shared, operations=operations))
    common_errors = share_common_errors([op for tag in tags for op in tag.operations])
    records = []
    seen: set[str] = set()
    pending = list(reader.records)
    while pending:
        name = pending.pop(0)
        if name in seen:
            continue
        seen.add(name)
        records.append(reader.record(name))
        pending += [record for record in reader.records if record not in seen]
    schemes = document.get("components", {}).get("securitySchemes", {})
    security = reader.markdown(
        " ".join(scheme.get("description", "") for scheme in schemes.values())
    )
    return Reference(
        title=info.get("title", "API"),
        version=info.get("version", ""),
        guide=link_operations(guide, document, reverse("api:docs")),
        guide_sections=sections,
        security=security,
        tags=tags,
        common_errors=common_errors,
        records=sorted(records, key=lambda record: record.name),
        error_example=error_example(document),
        validation_example=json.dumps(VALIDATION_EXAMPLE, indent=2),
    )


def meaning_of(response: Response) -> tuple:
    return (response.meaning, response.error_types, response.error_codes, response.error_fields)


def share_common_errors(operations: list[Operation]) -> list[Response]:
    """Errors every operation answers alike (a 401, a 429…): described once, named in each."""
    seen: dict[str, Response] = {}
    varied = {"400"}  # a 400 names the operation's own fields
    for operation in operations:
        for response in operation.responses:
            if not response.is_error or response.status in varied:
                continue
            first = seen.setdefault(response.status, response)
            if meaning_of(first) != meaning_of(response):
                varied.add(response.status)
    common = {status: response for status, response in seen.items() if status not in varied}
    for operation in operations:
        operation.common_errors = [r.status for r in operation.responses if r.status in common]
        operation.responses = [r for r in operation.responses if r.status not in common]
    return sorted(common.values(), key=lambda response: response.status)


# The shape of a 400 (drf-standardized-errors), as `?topic=energy` answers it.
VALIDATION_EXAMPLE = {
    "type": "validation_error",
    "errors": [
        {
            "code": "invalid_choice",
            "detail": "Select a valid choice. energy is not one of the available choices.",
            "attr": "topic",
        }
    ],
}


def error_example(document: dict) -> str:
    """The first example of an error the schema gives (a 404's, as it happens)."""
    for item in document.get("paths", {}).values():
        for spec in item.values():
            for status, answer in sorted(spec.get("responses", {}).items(), reverse=True):
                media = answer.get("content", {}).get("application/json", {})
                if status == "404" and media.get("examples"):
                    value = next(iter(media["examples"].values())).get("value")
                    return json.dumps(value, indent=2, ensure_ascii=False)
    return ""
