"""Bulk downloads: every public record of each API list as one gzip file, in JSON lines and
in CSV, for researchers and partners who mirror the portal without paging through the API.

A file holds exactly what an anonymous caller of the list gets: the list's own public
QuerySet, filters and serializer (its CSV, as `?format=csv` gives it). Records are read a chunk
at a time, in the order of their ids, so memory stays flat however many there are, and each
file is written to a temporary file, then published whole under a name made of its content
hash (`files/<resource>-<hash>.<format>.gz`). The manifest (`manifest.json`) names the files
of the last build with their size, record count, ETag and time of last change; it is written
last, in one piece, so a reader finds either the old set or the new one. The files of the
build before it are kept, for a download that began before the switch.

Any change to a record asks the worker for a rebuild once the transaction commits, debounced
(`schedule_rebuild`); `manage.py build_downloads` rebuilds at once.
"""

import contextlib
import csv
import datetime
import gzip
import hashlib
import io
import json
import logging
import re
import tempfile
import time
from collections.abc import Iterator
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from rest_framework.request import Request
from rest_framework.utils.encoders import JSONEncoder

from core.mail import site_url
from core.rest.renderers import CSVRenderer, JSONRenderer, cell
from core.rest.viewsets import PortalViewSet
from core.storage import download_storage
from core.tasks import enqueue_debounced, once_per_transaction
from portal.api.agreements.views import ROUTES as AGREEMENT_ROUTES
from portal.api.conferences.views import ROUTES as CONFERENCE_ROUTES
from portal.api.members.views import ROUTES as MEMBER_ROUTES

logger = logging.getLogger(__name__)

FORMATS = ("jsonl", "csv")
MANIFEST = "manifest.json"
FOLDER = "files"
# Records read and serialized at a time: a fixed number of queries each.
CHUNK_SIZE = 1000
# The public name of a file: `<resource>.<format>.gz`.
FILE_NAME = re.compile(r"(?P<resource>[a-z]+)\.(?P<format>jsonl|csv)\.gz")
# The cache key that says a rebuild is on its way (see schedule_rebuild).
SCHEDULED_KEY = "downloads:rebuild-scheduled"
# A rebuild that began this long after a change surely saw it, whatever the clocks of the
# web and worker machines say.
CLOCK_MARGIN_SECONDS = 1.0


def resources() -> dict[str, tuple[type[PortalViewSet], str]]:
    """Every list of records the API offers: its address → (viewset, basename).

    The network and the removed-records feed are not lists of records; they have no file.
    """
    return {
        prefix: (viewset, basename)
        for prefix, viewset, basename in (*CONFERENCE_ROUTES, *MEMBER_ROUTES, *AGREEMENT_ROUTES)
        if issubclass(viewset, PortalViewSet)
    }


def file_name(resource: str, fmt: str) -> str:
    return f"{resource}.{fmt}.gz"


class SiteRequest(HttpRequest):
    """A GET of the list by an anonymous caller at the portal's address (SITE_URL): the
    worker has no request, and the records' `url` and `web_url` must read as the API's."""

    def __init__(self):
        super().__init__()
        self.method = "GET"
        address = urlsplit(site_url())
        self._site_scheme = address.scheme or "https"
        self._site_host = address.netloc or "localhost"

    def _get_scheme(self):
        return self._site_scheme

    def get_host(self):
        return self._site_host


def anonymous_list_view(resource: str, renderer) -> PortalViewSet:
    """The list endpoint's view, as it answers an anonymous caller asking for `renderer`."""
    viewset, basename = resources()[resource]
    request = Request(SiteRequest(), authenticators=[])
    request.accepted_renderer = renderer
    request.accepted_media_type = renderer.media_type
    return viewset(
        action="list",
        basename=basename,
        request=request,
        args=(),
        kwargs={},
        format_kwarg=None,
        expand=(),
        grouping=None,
    )


def chunks(view: PortalViewSet) -> Iterator[list]:
    """The records of the list, CHUNK_SIZE at a time, by id (a keyset: no OFFSET to skip)."""
    records = view.filter_queryset(view.get_queryset()).order_by("pk")
    last_pk = None
    while True:
        page = records if last_pk is None else records.filter(pk__gt=last_pk)
        rows = list(page[:CHUNK_SIZE])
        if rows:
            yield rows
        if len(rows) < CHUNK_SIZE:
            return
        last_pk = rows[-1].pk


class JsonLinesWriter:
    """One JSON object per line, each as the list's `results` hold it."""

    def __init__(self, view: PortalViewSet, out) -> None:
        self.out = out

    def write(self, items: list[dict]) -> None:
        for item in items:
            self.out.write(json.dumps(item, cls=JSONEncoder, ensure_ascii=False))
            self.out.write("\n")


class CsvWriter:
    """The rows as the list's `?format=csv` gives them (core/rest/renderers.py), with one
    header line."""

    def __init__(self, view: PortalViewSet, out) -> None:
        renderer = view.request.accepted_renderer
        self.flatten = getattr(renderer, "flatten", None)
        self.writer = csv.writer(out, lineterminator="\r\n")
        self.header = columns(view)
        self.writer.writerow(self.header)

    def write(self, items: list[dict]) -> None:
        for item in items:
            row = self.flatten(item) if self.flatten else item
            self.writer.writerow([cell(row.get(column)) for column in self.header])


WRITERS = {"jsonl": JsonLinesWriter, "csv": CsvWriter}


def columns(view: PortalViewSet) -> list[str]:
    """The CSV's columns: the fields of the list's shape, as the API's CSV has them."""
    return list(view.get_serializer().fields)


def csv_renderer(resource: str):
    viewset, _basename = resources()[resource]
    renderer_class = next(
        (r for r in viewset.list_renderer_classes if r.format == "csv"), CSVRenderer
    )
    return renderer_class()


def view_for(resource: str, fmt: str) -> PortalViewSet:
    renderer = csv_renderer(resource) if fmt == "csv" else JSONRenderer()
    return anonymous_list_view(resource, renderer)


def write_files(resource: str, targets: dict) -> int:
    """Write the gzip files of `resource`, `targets` being {format: binary file}; the count.

    The records are read once for every format, and serialized once for formats of the
    same shape. The gzip header carries no time and no name, so the same records give the
    same bytes, and the same ETag, from one build to the next.
    """
    views = {fmt: view_for(resource, fmt) for fmt in targets}
    shapes = {}
    for fmt, view in views.items():
        context = view.get_serializer_context()
        # Absolute addresses start with the portal's own (core.rest.serializers.absolute).
        context["origin"] = site_url()
        shapes[fmt] = (view.get_serializer_class(), context)
    count = 0
    with contextlib.ExitStack() as stack:
        writers = {}
        for fmt, target in targets.items():
            raw = stack.enter_context(
                gzip.GzipFile(filename="", mode="wb", fileobj=target, compresslevel=6, mtime=0)
            )
            text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
            # Flushed into the gzip file before it closes (callbacks run last in, first out).
            stack.callback(text.detach)
            stack.callback(text.flush)
            writers[fmt] = WRITERS[fmt](views[fmt], text)
        for rows in chunks(next(iter(views.values()))):
            data = {}
            for fmt, writer in writers.items():
                serializer_class, context = shapes[fmt]
                if serializer_class not in data:
                    data[serializer_class] = serializer_class(rows, many=True, context=context).data
                writer.write(data[serializer_class])
            count += len(rows)
    return count


def write_file(resource: str, fmt: str, target) -> int:
    """Write the gzip file of `resource` in `fmt` to the binary file `target`; its count."""
    return write_files(resource, {fmt: target})


def content_hash(source) -> str:
    digest = hashlib.sha256()
    source.seek(0)
    for block in iter(lambda: source.read(1024 * 1024), b""):
        digest.update(block)
    return digest.hexdigest()


def read_manifest() -> dict:
    """The last build's manifest; empty when there was none (or it cannot be read)."""
    storage = download_storage()
    try:
        with storage.open(MANIFEST, "rb") as source:
            manifest = json.load(source)
    except FileNotFoundError:
        return {}
    except Exception:
        # Unreadable, or object storage that does not answer (its client raises errors of
        # its own): the files are then "not built yet", never a server error.
        logger.exception("The downloads' manifest could not be read")
        return {}
    return manifest if isinstance(manifest, dict) else {}


def build_resource(resource: str, previous: dict) -> dict[str, dict]:
    """Build the files of one list, publish those the last build did not make the same, and
    describe them: {file name: entry}."""
    storage = download_storage()
    entries = {}
    with contextlib.ExitStack() as stack:
        targets = {fmt: stack.enter_context(tempfile.TemporaryFile()) for fmt in FORMATS}
        count = write_files(resource, targets)
        for fmt, target in targets.items():
            name = file_name(resource, fmt)
            etag = content_hash(target)
            earlier = previous.get(name)
            if earlier and earlier.get("etag") == etag and storage.exists(earlier["stored_as"]):
                # Nothing changed: the same file, and the same time of last change.
                entries[name] = earlier
                continue
            stored_as = f"{FOLDER}/{resource}-{etag[:20]}.{fmt}.gz"
            if not storage.exists(stored_as):
                storage.publish(stored_as, target)
            entries[name] = {
                "resource": resource,
                "format": fmt,
                "stored_as": stored_as,
                "size": target.seek(0, io.SEEK_END),
                "count": count,
                "etag": etag,
                "modified": timezone.now().isoformat(),
            }
    return entries


def build_downloads() -> dict:
    """Build every file, then switch to them by writing the manifest; return the manifest."""
    storage = download_storage()
    started = time.time()
    previous = read_manifest()
    previous_files = previous.get("files") or {}
    files = {}
    for resource in resources():
        files.update(build_resource(resource, previous_files))
    manifest = {
        "started_at": started,
        "built_at": timezone.now().isoformat(),
        "files": files,
    }
    storage.publish(MANIFEST, io.BytesIO(json.dumps(manifest, indent=1).encode()))
    kept = {entry["stored_as"] for entry in (*files.values(), *previous_files.values())}
    remove_stale_files(keep=kept)
    return manifest


def remove_stale_files(*, keep: set[str]) -> None:
    """Files of builds before the last two: no manifest names them any more."""
    storage = download_storage()
    try:
        _folders, names = storage.listdir(FOLDER)
    except FileNotFoundError:
        return
    for name in names:
        path = f"{FOLDER}/{name}"
        if path not in keep and not name.startswith("."):
            storage.delete(path)


def built_since(manifest: dict, moment: float) -> bool:
    """Whether the last build began after `moment` (a time.time()), so it saw what changed."""
    started = manifest.get("started_at")
    return isinstance(started, (int, float)) and started >= moment + CLOCK_MARGIN_SECONDS


def build_start(manifest: dict) -> datetime.datetime | None:
    started = manifest.get("started_at")
    if not isinstance(started, (int, float)):
        return None
    return datetime.datetime.fromtimestamp(started, tz=datetime.UTC)


def manifest_time(entry: dict) -> datetime.datetime | None:
    try:
        return datetime.datetime.fromisoformat(entry["modified"])
    except (KeyError, TypeError, ValueError):
        return None


# Rebuilding after changes


def schedule_rebuild() -> None:
    """Ask the worker to rebuild the files in DOWNLOADS_REBUILD_DELAY_SECONDS.

    A key in the cache says a rebuild is on its way: the changes saved before it runs are in
    it, so a burst of saves asks once. The key lapses a second before the rebuild may start;
    a change after that asks again. While the cache does not answer, every transaction asks,
    and the worker skips each rebuild that a rebuild begun since has made needless
    (`portal.tasks.rebuild_downloads`). A queue that does not answer is logged; the save that
    asked is kept all the same.
    """
    from .tasks import rebuild_downloads

    enqueue_debounced(
        rebuild_downloads,
        key=SCHEDULED_KEY,
        delay=settings.DOWNLOADS_REBUILD_DELAY_SECONDS,
        what="A rebuild of the downloads",
        changed_at=time.time(),
    )


def record_changed(sender=None, **kwargs) -> None:
    """A record was saved or deleted (or its links changed): rebuild once the change commits.

    One request per transaction, however many rows it wrote.
    """
    if not settings.DOWNLOADS_REBUILD_ON_CHANGE:
        return
    if sender is not None and sender._meta.app_label not in settings.RECORD_APPS:
        return
    once_per_transaction(schedule_rebuild)
