"""The member map's points, kept by the worker (core/aggregates.py).

The map loads one point per current member with coordinates: at 43,000 members, reading them,
writing them as JSON and compressing them (3 MB, 1 MB compressed) took over a second per
request, for an answer that only changes with the members. The worker writes it once after
changes, compressed with brotli (a quarter smaller than gzip at its best: 0.7 MB at 43,000
members); a request reads it (one query) and sends it as it is to a browser, which takes
brotli. A process makes the gzip and plain bodies, for callers that do not, once per version.
"""

import base64
import gzip
import json
from typing import Any

import brotli
from django.db.models import Case, F, FloatField, Q, Value, When
from django.db.models.functions import Cast, Round
from django.urls import reverse
from django.utils import timezone

from core.aggregates import clock, is_current, read, register, served
from core.models import Aggregate

from .models import Division, Membership, Organisation

# The points as brotli (its key until 2026-12 held them as gzip).
MAP_POINTS_KEY = "members:map-points-br"
# Brotli's quality 10: 25 % smaller than gzip's best; 11 gains 4 % more for four times the
# time (0.7 s against 0.17 s for 4,000 members).
BROTLI_QUALITY = 10
FIELDS = ["slug", "name", "division", "latitude", "longitude"]


def current_members_on_map() -> Any:
    return Organisation.objects.current_members().filter(
        latitude__isnull=False, longitude__isnull=False
    )


def map_points() -> dict[str, Any]:
    """Rows of [slug, name, division id, latitude, longitude] (rounded to about 10 m), with
    the profile address as a pattern to fill in."""
    rows = (
        current_members_on_map()
        .order_by("pk")
        .values_list(
            "slug",
            "name",
            "division_id",
            Cast(Round("latitude", 4), FloatField()),
            Cast(Round("longitude", 4), FloatField()),
        )
    )
    profile = reverse("members:organisation-detail", kwargs={"slug": "SLUG"})
    return {
        "fields": FIELDS,
        "profile_url": profile.replace("SLUG", "{slug}"),
        "members": list(rows),
    }


def compressed_map_points() -> str:
    """The points as the JSON the map loads, in brotli, in base64 (the kept values are JSON)."""
    body = json.dumps(map_points(), ensure_ascii=False, separators=(",", ":")).encode()
    compressed = brotli.compress(body, mode=brotli.MODE_TEXT, quality=BROTLI_QUALITY)
    return base64.b64encode(compressed).decode("ascii")


register(MAP_POINTS_KEY, compressed_map_points, counts=(Organisation, Membership, Division))


# The points this process last read: (version, computed_at), and their JSON in brotli and,
# once asked for, in gzip and plain ("identity"). A megabyte at 100,000 members, read from
# the database and decoded on every request otherwise.
_last_read: dict[str, Any] = {"stamp": None, "bodies": {"br": b""}}


def map_points_body(coding: str) -> tuple[bytes, str]:
    """The JSON of the points as the worker last wrote it, in `coding` ("br", "gzip" or
    "identity"), and its entity tag (one query). The tag names the version and the coding:
    no need to hash a megabyte per request to make one (ConditionalGetMiddleware would)."""
    kept_map_points()
    bodies, (version, computed_at) = _last_read["bodies"], _last_read["stamp"]
    if coding not in bodies:
        plain = brotli.decompress(bodies["br"])
        bodies.update(identity=plain, gzip=gzip.compress(plain, mtime=0))
    return bodies[coding], f'"points-{version!r}-{computed_at.timestamp()!r}-{coding}"'


def kept_map_points() -> tuple[bytes, bool]:
    """The JSON of the points in brotli as the worker last wrote it, and whether it lags a
    change (one query). The stored value is sent by the database only when it is not the
    one this process read last."""
    stamp = _last_read["stamp"]
    unchanged = Q(version=stamp[0], computed_at=stamp[1]) if stamp else Q(pk__in=[])
    stored = (
        Aggregate.objects.filter(key=MAP_POINTS_KEY)
        .defer("payload")
        .annotate(changed_payload=Case(When(unchanged, then=Value(None)), default=F("payload")))
        .first()
    )
    now_clock = clock()
    if stored is None or not is_current(stored, now_clock=now_clock, today=timezone.localdate()):
        stored = read(MAP_POINTS_KEY)  # counted again here, as `read` does
        stored.changed_payload = stored.payload
    else:
        served(stored, now_clock=now_clock)
    if stored.changed_payload is not None:
        body = base64.b64decode(stored.changed_payload)
        _last_read.update(stamp=(stored.version, stored.computed_at), bodies={"br": body})
    return _last_read["bodies"]["br"], stored.is_lagging
