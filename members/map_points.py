"""The member map's points, kept by the worker (core/aggregates.py).

The map loads one point per current member with coordinates: at 43,000 members, reading them,
writing them as JSON and compressing them (3 MB, 1 MB compressed) took over a second per
request, for an answer that only changes with the members. The worker writes it once after
changes, compressed; a request reads it (one query) and sends it as it is.
"""

import base64
import gzip
import json
from typing import Any

from django.db.models import Case, F, FloatField, Q, Value, When
from django.db.models.functions import Cast, Round
from django.urls import reverse
from django.utils import timezone

from core.aggregates import clock, is_current, read, register, served
from core.models import Aggregate

from .models import Division, Membership, Organisation

MAP_POINTS_KEY = "members:map-points"
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
    """The points as the JSON the map loads, gzipped, in base64 (the kept values are JSON)."""
    body = json.dumps(map_points(), ensure_ascii=False, separators=(",", ":")).encode()
    return base64.b64encode(gzip.compress(body, mtime=0)).decode("ascii")


register(MAP_POINTS_KEY, compressed_map_points, counts=(Organisation, Membership, Division))


# The points this process last read: (version, computed_at) → the gzipped JSON. A megabyte
# at 100,000 members, read from the database and decoded on every request otherwise.
_last_read: dict[str, Any] = {"stamp": None, "body": b""}


def kept_map_points() -> tuple[bytes, bool]:
    """The gzipped JSON of the points as the worker last wrote it, and whether it lags a
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
        _last_read.update(stamp=(stored.version, stored.computed_at), body=body)
    return _last_read["body"], stored.is_lagging
