"""The hostile walk's corpus and its request recorder (used by tests/test_hostile_walk.py).

Values are plain text, quoted when put into an address, unless they are `Encoded`: those are
already percent-encoded bytes (a lone surrogate, invalid UTF-8) and go into the address as is.
"""

import os
import random
import re
import traceback
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import quote

# `HOSTILE_WALK_ALL=1` (make fuzz) sends every value of the corpus for every parameter; otherwise
# each parameter gets a small deterministic sample, seeded by its own name.
EVERYTHING = os.environ.get("HOSTILE_WALK_ALL", "") not in ("", "0")
SAMPLE = 4


class Encoded(str):
    """A value already percent-encoded: it goes into the address byte for byte."""


CORPUS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "' OR '1'='1' --",
    "1; DROP TABLE members_organisation; --",
    "1' UNION SELECT NULL,NULL--",
    "\x00",
    "nul\x00inside",
    "\x01\x02\x07\x08\x0b\x0c\x1b\x1f\x7f",
    "line\r\nSet-Cookie: x=1",
    "\t",
    Encoded("%ED%A0%80"),  # a lone surrogate (U+D800) as UTF-8 bytes
    Encoded("%FF%FE%C0%AF"),  # not UTF-8 at all
    "-1",
    "0",
    "-9223372036854775808",
    "9223372036854775807",
    "9223372036854775808",
    "99999999999999999999999999999999",
    "1e308",
    "NaN",
    "1.5",
    "",
    " ",
    "x" * 5000,
    "a" * 5000,  # a 5,000-character slug
    "../../etc/passwd",
    Encoded("..%2F..%2Fetc%2Fpasswd"),
    "-title",
    "--title",
    "title,-title,pk,?,__class__",
    "\u202egnp.exe\ufeff\U0001f642",
    "\u0130\u0131\u00df\ufb01",  # İ ı ß ﬁ: case folding that changes length
    "\u200b\u200d\u2060",
    "Z\u0351\u0352\u0353\u0354\u0355\u0356\u0357\u0358\u0359",
    "\U0010ffff",
    "2025-13-45",
    "0000-00-00T25:61:61Z",
    "{{ 7|add:7 }}",
    "%s%s%s%n",
    "${jndi:ldap://x/a}",
    "[]",
    "{}",
    "true",
    "null",
]

# Path segments: the same, minus the empty one, which would name another route.
PATH_CORPUS = [value for value in CORPUS if value.strip(" \t")]

BODY_VALUES = [
    None,
    True,
    -1,
    0,
    9223372036854775807,
    -9223372036854775809,
    10**400,
    1e308,
    -0.0,
    "",
    "x" * 100_000,
    "\x00",
    "a\x00b\x01\x1f\x7f",
    "\ud800",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "../../etc/passwd",
    "\u202egnp.exe\ufeff\U0001f642",
    "2025-13-45",
    "not-a-url",
    [],
    ["x"] * 50,
    [None, {}, []],
    {},
    {"nested": {"deeper": [{"deepest": "x" * 1000}]}},
    {"id": 1, "slug": "x"},
]

# Whole bodies: not an object, not JSON, or too deep for a naive parser.
RAW_BODIES = [
    b"",
    b"null",
    b"[]",
    b'"a string"',
    b"42",
    b"{",
    b'{"title": NaN}',
    b'{"title": Infinity}',
    b"\xff\xfe\x00\x00",
    b'{"title": "\xed\xa0\x80"}',
    b"[" * 5000 + b"]" * 5000,
    b'{"a":' * 5000 + b"1" + b"}" * 5000,
]


def sample(values: list, key: str, k: int = SAMPLE) -> list:
    """All of `values` under HOSTILE_WALK_ALL; otherwise `k` of them, the same ones every run."""
    if EVERYTHING or len(values) <= k:
        return list(values)
    return random.Random(key).sample(values, k)


def encode(value) -> str:
    return value if isinstance(value, Encoded) else quote(str(value), safe="")


def query(pairs) -> str:
    return "&".join(f"{encode(name)}={encode(value)}" for name, value in pairs)


@dataclass
class Walk:
    """Sends requests through a Django test client and keeps every 5xx with its traceback."""

    sent: int = 0
    failures: list = field(default_factory=list)

    def send(self, client, method: str, url: str, note: str = "", **kwargs):
        self.sent += 1
        try:
            response = client.generic(method, url, **kwargs)
        except Exception:
            self.failures.append(
                f"{method} {url}{note}{describe(kwargs)}\n{traceback.format_exc()}"
            )
            return None
        if response.status_code >= 500:
            body = b"".join(response) if response.streaming else response.content
            self.failures.append(
                f"{method} {url}{note}{describe(kwargs)} -> {response.status_code}\n{body[:500]!r}"
            )
        return response

    def report(self, label: str) -> str:
        return f"hostile walk {label}: {self.sent} requests, {len(self.failures)} 5xx"


def describe(kwargs) -> str:
    data = kwargs.get("data")
    if not data:
        return ""
    text = data if isinstance(data, str) else data.decode("utf-8", "replace")
    return f" body={text[:200]!r}{'...' if len(text) > 200 else ''}"


class FormFields(HTMLParser):
    """The forms of a page sent by one of `methods` (GET forms unless told):
    [(action, {field: set of values the page offers})]."""

    def __init__(self, methods: tuple[str, ...] = ("get",)):
        super().__init__(convert_charrefs=True)
        self.methods = methods
        self.forms = []
        self.links = []
        self._current = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for attribute in ("href", "src"):
            if attrs.get(attribute):
                self.links.append(attrs[attribute])
        if tag == "a":
            pass
        elif tag == "form":
            if (attrs.get("method") or "get").lower() in self.methods:
                self._current = (attrs.get("action") or "", {})
                self.forms.append(self._current)
            else:
                self._current = None
        elif self._current is not None and tag in ("input", "select", "textarea"):
            name = attrs.get("name")
            if not name or attrs.get("type") in ("submit", "button", "image", "reset"):
                return
            values = self._current[1].setdefault(name, set())
            if attrs.get("value"):
                values.add(attrs["value"])
            self._select = values if tag == "select" else None
        elif tag == "option" and self._select is not None and attrs.get("value"):
            self._select.add(attrs["value"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None
        elif tag == "select":
            self._select = None


SITEMAP_LOC = re.compile(r"(?:<loc>|https?://testserver)([^<\s\"']+)")


def parse_page(content: bytes, methods: tuple[str, ...] = ("get",)) -> FormFields:
    parser = FormFields(methods)
    text = content.decode("utf-8", "replace")
    parser.feed(text)
    parser.links.extend(SITEMAP_LOC.findall(text))
    return parser
