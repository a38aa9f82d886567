"""Snapshot every public page, feed and API answer, and compare two snapshots.

    python bench/crawl.py snapshot OUTDIR       # from a tree's root: crawls that tree's code
    python bench/crawl.py compare DIR_A DIR_B   # exit 1 when anything differs

`snapshot` migrates a throwaway SQLite database, loads the demo data and crawls breadth first
with Django's test client, as a first-time anonymous visitor over HTTPS with DEBUG off: the
URL map's addresses without parameters, PROBES, every same-site link in HTML (and each option
of filter forms), the sitemap, every URL in JSON answers, variants of every list. It writes
OUTDIR/index.json (address -> status, headers, body file) and OUTDIR/<hash>.body. What differs
run to run is normalised (normalise_body, HEADER_RULES); pages depend on today's date, so
compare snapshots taken the same day. No project module is imported by name.
"""

import difflib
import email.utils
import hashlib
import io
import json
import logging
import os
import re
import sys
import tempfile
import time
from collections import Counter, deque
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode, urljoin, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
HOST = "localhost"
MAX_URLS = 3000
SKIPPED_PREFIXES = ("/admin/", "/static/", "/media/")
LOGOUT = re.compile(r"log-?out|sign-?out", re.IGNORECASE)
# Fixed probes besides the URL map: search, error pages, filters typed in, the API guide's.
PROBES = [
    *("/search/?q=park", "/search/?q=energy", "/search/?q=", "/search/?q=no-such-word"),
    *("/no-such-page/", "/conferences/no-such-conference/", "/api/v1/no-such-endpoint/"),
    "/agreements/network/?year_from=2020&year_to=2025",
    "/api/v1/organisations/?country=TH&topic=energy-efficiency",
    "/api/v1/organisations/?member=true&expand=division,topics",
    "/api/v1/organisations/?topic=no-such-topic",
    "/api/v1/conferences/?expand=hosts,division&ordering=-start_date",
    "/api/v1/agreements/?modified_since=2000-01-01T00:00:00Z",
    *("/api/v1/people/?search=lund", "/api/v1/network/?limit=5"),
]
# Variants of every API list (a JSON answer with "results"): formats, one record a page (its
# `next` links are then followed), past the last page, a parameter the API refuses.
API_LIST_VARIANTS = ["format=csv", "format=ics", "page_size=1", "page=999", "no_such_filter=1"]
# Variants of every HTML page that links to itself with a query (a list with filters or pages).
HTML_LIST_VARIANTS = ["page=2", "page=last", "page=999"]
# Settings read from the environment that would make a crawl depend on the caller's shell.
CLEARED_ENV = (
    *("REDIS_URL", "AWS_STORAGE_BUCKET_NAME", "MEDIA_ORIGIN", "MEDIA_URL", "SITE_NAME"),
    *("ASSOCIATION_NAME", "ASSOCIATION_SHORT_NAME", "PAGE_CACHE", "PAGE_CACHE_SECONDS"),
    *("TRUSTED_PROXY_COUNT", "SECURE_SSL_REDIRECT"),
)
# An uploaded file's name: `<slug>-<8 random hex>.<ext>` (unique_upload_name).
UPLOAD_NAME = re.compile(r"(/[\w.-]+-)[0-9a-f]{8}(\.[a-z0-9]{1,5})\b")
# Date-times in ISO 8601 (JSON, CSV, Atom, HTML) and in iCalendar's basic form (DTSTAMP).
ISO_STAMP = re.compile(
    r"\b\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)?|\b\d{8}T\d{6}Z"
)
HTTP_DATE = re.compile(r"\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d GMT")
STARTED = datetime.now(UTC)


def stamped_by_this_run(moment: datetime) -> bool:
    """Date-times within this run (`created`, `modified`, Atom <updated>, DTSTAMP,
    Last-Modified, Expires) were stamped by it, and differ every run; others are data."""
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)  # TIME_ZONE is UTC
    return STARTED.replace(microsecond=0) <= moment <= datetime.now(UTC)


def iso_stamp(match: re.Match) -> str:
    stamp = match.group()
    if stamped_by_this_run(datetime.fromisoformat(stamp)):
        return re.sub(r"\d", "0", stamp)  # the format stays visible
    return stamp


def http_date(match: re.Match) -> str:
    moment = email.utils.parsedate_to_datetime(match.group())
    return "Xxx, 00 Xxx 0000 00:00:00 GMT" if stamped_by_this_run(moment) else match.group()


def normalise_body(text: str) -> str:
    text = UPLOAD_NAME.sub(r"\1XXXXXXXX\2", text)
    return ISO_STAMP.sub(iso_stamp, text)


HEADER_RULES = {
    **dict.fromkeys(["Last-Modified", "Expires"], lambda value: HTTP_DATE.sub(http_date, value)),
    # A hash of the body before normalising; the body itself is compared.
    "ETag": lambda value: re.sub(r'"[^"]*"', '"…"', value),
    # django-csp writes the directives in set order, which changes with each process's seed.
    "Content-Security-Policy": lambda value: "; ".join(sorted(value.split("; "))),
}
# The body's length is in its file; the rest of the headers are kept as they are.
SKIPPED_HEADERS = {"Content-Length"}
TEXT_TYPES = ("text/", "json", "xml", "javascript", "yaml", "calendar", "openapi", "csv")


class LinkParser(HTMLParser):
    """Every href, and each option of a GET form's <select> as a link (one filter at a time)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.form: str | None = None  # the action of the GET form being read
        self.select: str | None = None  # the name of the <select> being read

    def handle_starttag(self, tag, attrs):
        attrs = {name: value or "" for name, value in attrs}
        if tag in ("a", "link", "area") and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "form" and attrs.get("method", "get").lower() == "get":
            self.form = attrs.get("action", "")
        elif tag == "select" and self.form is not None:
            self.select = attrs.get("name")
        elif tag == "option" and self.select and attrs.get("value"):
            query = urlencode({self.select: attrs["value"]})
            self.links.append(f"{self.form}?{query}")

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "select":
            self.select = None


def json_links(value) -> list[str]:
    if isinstance(value, dict):
        return [link for item in value.values() for link in json_links(item)]
    if isinstance(value, list):
        return [link for item in value for link in json_links(item)]
    if isinstance(value, str) and value.startswith(("http://", "https://", "/")):
        return [value]
    return []


def links_in(address: str, content_type: str, body: bytes) -> list[str]:
    text = body.decode("utf-8", "replace")
    if content_type.startswith("text/html"):
        parser = LinkParser()
        parser.feed(text)
        links = [found for link in parser.links if (found := site_address(link, address))]
        path = urlsplit(address).path
        if any(link.startswith(f"{path}?") for link in links):  # a list, filtered or paged
            links += [f"{path}?{query}" for query in HTML_LIST_VARIANTS]
        return links
    if content_type.startswith("application/json"):
        try:
            data = json.loads(body)
        except ValueError:
            return []
        links = json_links(data)
        if isinstance(data, dict) and "results" in data and "?" not in address:
            links += [f"{address}?{query}" for query in API_LIST_VARIANTS]
        return links
    if content_type.startswith(("application/xml", "text/xml")):
        return re.findall(r"<loc>([^<]+)</loc>", text)
    return []


def site_address(link: str, base: str = "/") -> str | None:
    """`link` as a path and query, when it is on this site and worth fetching."""
    parts = urlsplit(urljoin(f"https://{HOST}{base}", link.strip()))
    path = parts.path or "/"
    if parts.scheme not in ("http", "https") or parts.netloc != HOST or "{" in path:
        return None
    if path.startswith(SKIPPED_PREFIXES) or UPLOAD_NAME.search(path) or LOGOUT.search(path):
        return None  # admin, static and media files, uploaded documents, logging out
    return urlunsplit(("", "", path, parts.query, ""))


def url_map_addresses() -> list[str]:
    """Every address in the URL map without parameters: feeds, calendars, CSV, JSON..."""
    from django.urls import URLPattern, URLResolver, get_resolver

    found = []

    def walk(patterns, prefix):
        for entry in patterns:
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, route)
            elif isinstance(entry, URLPattern) and not re.search(r"[<>^$()\\*?\[]", route):
                found.append(site_address("/" + route))

    walk(get_resolver().url_patterns, "")
    return sorted(address for address in set(found) if address)


def setup(workdir: Path) -> None:
    for name in CLEARED_ENV:
        os.environ.pop(name, None)
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings.dev",  # as manage.py and `make run`
        DEBUG="false",
        SECRET_KEY="crawl-snapshot-only-not-secret",
        ALLOWED_HOSTS=HOST,
        DATABASE_URL=f"sqlite:///{workdir / 'db.sqlite3'}",
        MEDIA_ROOT=str(workdir / "media"),
        PRIVATE_MEDIA_ROOT=str(workdir / "private"),
        STATIC_ROOT=str(workdir / "static"),
        API_ANON_RATE="none",
    )
    sys.path.insert(0, str(ROOT))  # this tree's code, not the editable install's
    import django
    from django.core.management import call_command

    django.setup()
    logging.disable(logging.WARNING)  # the 404s the crawl asks for on purpose
    print(f"settings: {sys.modules[os.environ['DJANGO_SETTINGS_MODULE']].__file__}")
    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("load_demo", verbosity=0, stdout=io.StringIO())
    time.sleep(1.1)  # the API sends Last-Modified only once records are a second old


def fetch(client, address: str) -> tuple[int, dict, bytes]:
    client.cookies.clear()  # every address as a first-time visitor
    response = client.get(address, secure=True, headers={"host": HOST})
    body = response.getvalue()
    response.close()
    headers = {
        name: HEADER_RULES.get(name, str)(value)
        for name, value in sorted(response.items())
        if name not in SKIPPED_HEADERS
    }
    return response.status_code, headers, body


def snapshot(outdir: Path) -> None:
    outdir.mkdir(parents=True, exist_ok=True)
    for old in [*outdir.glob("*.body"), outdir / "index.json", outdir / "about.json"]:
        old.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="crawl-") as workdir:
        setup(Path(workdir))
        from django.test import Client

        client = Client(raise_request_exception=False)
        queue = deque(dict.fromkeys(["/", *url_map_addresses(), *PROBES]))
        seen = set(queue)
        index = {}
        while queue and len(index) < MAX_URLS:
            address = queue.popleft()
            status, headers, body = fetch(client, address)
            content_type = headers.get("Content-Type", "")
            for link in links_in(address, content_type, body):
                found = site_address(link, address)
                if found and found not in seen:
                    seen.add(found)
                    queue.append(found)
            if any(kind in content_type for kind in TEXT_TYPES):
                text = normalise_body(body.decode("utf-8", "surrogateescape"))
                body = text.encode("utf-8", "surrogateescape")
            name = hashlib.sha256(address.encode()).hexdigest()[:24] + ".body"
            (outdir / name).write_bytes(body)
            index[address] = {"status": status, "headers": headers, "file": name}
    text = json.dumps(index, indent=1, ensure_ascii=False)
    (outdir / "index.json").write_text(text + "\n", encoding="utf-8")
    statuses = dict(sorted(Counter(entry["status"] for entry in index.values()).items()))
    elapsed = round((datetime.now(UTC) - STARTED).total_seconds())
    about = {"tree": str(ROOT), "day": str(STARTED.date()), "urls": len(index), "seconds": elapsed}
    (outdir / "about.json").write_text(json.dumps(about) + "\n", encoding="utf-8")
    print(f"{len(index)} urls in {elapsed} s, {len(queue)} left unvisited; status {statuses}")


def compare(dir_a: Path, dir_b: Path) -> int:
    index_a, index_b = (
        json.loads((path / "index.json").read_text("utf-8")) for path in (dir_a, dir_b)
    )
    days = {json.loads((path / "about.json").read_text())["day"] for path in (dir_a, dir_b)}
    if len(days) > 1:
        print(f"note: crawled on {' and '.join(sorted(days))}; pages count from today's date")
    only = [(dir_a, address) for address in index_a if address not in index_b]
    only += [(dir_b, address) for address in index_b if address not in index_a]
    for directory, address in only:
        print(f"only in {directory}: {address}")
    common = [address for address in index_a if address in index_b]
    differing = 0
    for address in common:
        entry_a, entry_b = index_a[address], index_b[address]
        body_a = (dir_a / entry_a.pop("file")).read_bytes()
        body_b = (dir_b / entry_b.pop("file")).read_bytes()
        if entry_a == entry_b and body_a == body_b:
            continue
        differing += 1
        print(f"=== {address}")
        if entry_a != entry_b:  # status and headers
            print(text_diff(json.dumps(entry_a), json.dumps(entry_b)))
        if body_a != body_b:
            try:
                print(text_diff(body_a.decode("utf-8"), body_b.decode("utf-8")))
            except UnicodeDecodeError:
                print(f"binary bodies differ ({len(body_a)} and {len(body_b)} bytes)")
    print(f"{len(common)} urls compared, {differing} differ, {len(only)} in one snapshot only")
    return 1 if differing or only else 0


def text_diff(text_a: str, text_b: str, max_lines: int = 40) -> str:
    lines_a, lines_b = readable(text_a).splitlines(), readable(text_b).splitlines()
    lines = [line[:300] for line in difflib.unified_diff(lines_a, lines_b, "a", "b", lineterm="")]
    return "\n".join(lines[:max_lines] + (["..."] if len(lines) > max_lines else []))


def readable(text: str) -> str:
    """JSON one item a line, for the diff only (the comparison is byte for byte)."""
    try:
        return json.dumps(json.loads(text), indent=1, ensure_ascii=False)
    except ValueError:
        return text


def main(argv: list[str]) -> int:
    if len(argv) == 2 and argv[0] == "snapshot":
        snapshot(Path(argv[1]))
        return 0
    if len(argv) == 3 and argv[0] == "compare":
        return compare(Path(argv[1]), Path(argv[2]))
    print(__doc__.split("\n\n")[1], file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
