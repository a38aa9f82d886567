"""Template loaders that drop the indentation of HTML templates when they are read.

Indentation makes templates readable and pages heavy: each line of a loop repeats it for
every row (a third of a large programme's page was runs of spaces). The source is trimmed
once, as the cached loader reads it, so a request pays nothing. Each line loses its leading
and trailing blanks, blank lines go, and so does the line break after a line of template
tags alone; the line break after text or markup stays: in HTML a line break is whitespace
like any other, so the page shows the same. Left as written: `<pre>`,
`<textarea>` and `<script>` elements, `{% verbatim %}`, and `{% blocktranslate %}` (its text
is the key of its translation).
"""

import re

from django.template.loaders import app_directories, filesystem

_KEPT = re.compile(
    r"<pre\b.*?</pre\s*>"
    r"|<textarea\b.*?</textarea\s*>"
    r"|<script\b.*?</script\s*>"
    r"|\{%\s*verbatim\b.*?\{%\s*endverbatim\b.*?%\}"
    r"|\{%\s*blocktrans(?:late)?\b.*?\{%\s*endblocktrans(?:late)?\b.*?%\}",
    re.DOTALL | re.IGNORECASE,
)
_AROUND_LINE_BREAKS = re.compile(r"[ \t]*\n\s*")
# A line of tags alone ({% if %}, {% endfor %}, {# #}) writes nothing but its line break; the
# line before it already ended with one.
_TAG = r"(?:\{%(?:(?!%\}).)*%\}|\{#(?:(?!#\}).)*#\})"
_TAGS_ALONE = re.compile(rf"(?<=\n)({_TAG}+)\n")


def _trim(text: str, *, at_line_start: bool) -> str:
    if at_line_start:
        return _trim("\n" + text, at_line_start=False)[1:]
    return _TAGS_ALONE.sub(r"\1", _AROUND_LINE_BREAKS.sub("\n", text))


def trim_indentation(source: str) -> str:
    """`source` without blanks around its line breaks, outside the parts kept as written."""
    trimmed, position = [], 0
    for kept in _KEPT.finditer(source):
        trimmed.append(_trim(source[position : kept.start()], at_line_start=position == 0))
        trimmed.append(kept.group())
        position = kept.end()
    trimmed.append(_trim(source[position:], at_line_start=position == 0))
    return "".join(trimmed)


class TrimmedMixin:
    def get_contents(self, origin) -> str:
        source = super().get_contents(origin)
        if origin.name.endswith(".html"):
            return trim_indentation(source)
        return source


class FilesystemLoader(TrimmedMixin, filesystem.Loader):
    pass


class AppDirectoriesLoader(TrimmedMixin, app_directories.Loader):
    pass
