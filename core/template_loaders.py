"""Template loaders that drop the indentation of HTML templates when they are read.

Indentation makes templates readable and pages heavy: each line of a loop repeats it for
every row (a third of a large programme's page was runs of spaces). The source is trimmed
once, as the cached loader reads it, so a request pays nothing. Each line loses its leading
and trailing blanks and blank lines go, but every line break stays: in HTML a line break is
whitespace like any other, so the page shows the same. Left as written: `<pre>`,
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


def trim_indentation(source: str) -> str:
    """`source` without blanks around its line breaks, outside the parts kept as written."""
    trimmed, position = [], 0
    for kept in _KEPT.finditer(source):
        trimmed.append(_AROUND_LINE_BREAKS.sub("\n", source[position : kept.start()]))
        trimmed.append(kept.group())
        position = kept.end()
    trimmed.append(_AROUND_LINE_BREAKS.sub("\n", source[position:]))
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
