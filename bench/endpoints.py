"""The fixed list of requests `make bench` measures, made concrete from the bench database.

Run by bench/run.py in the server's environment (`python -m bench.endpoints`), before the
server starts. It prints one JSON document: the requests, the SQL queries each runs, its
status and body size, the dataset's counts and the versions.

Queries are counted with Django's test client under CaptureQueriesContext, through the same
settings, middleware and database as gunicorn, one request at a time: first with an empty
cache ("queries", what the code runs on a miss), then once more ("queries_cached", what a
repeat visit runs while the cache holds the answer; equal to "queries" with the cache off).
"""

import json
import os
import platform
import sys
import time
from dataclasses import asdict, dataclass

import django

# The header every benchmark request sends, as browsers and HTTP libraries do.
ACCEPT_ENCODING = "gzip, deflate, br"
DEEP_PAGE = 150
API_PAGE_SIZE = 50


@dataclass
class Endpoint:
    name: str
    path: str
    # A list of API_PAGE_SIZE rows, held to the p99 latency target.
    api_list: bool = False
    ceiling: bool = False
    note: str = ""


def pick_endpoints() -> list[Endpoint]:
    """Values chosen so that each request returns a full, realistic answer: the next
    conference, the organisation in most agreements, the busiest country and year."""
    from django.db.models import Count
    from django.urls import reverse

    from agreements.models import Agreement
    from conferences.models import Conference
    from members.models import Organisation

    conference = (
        Conference.objects.upcoming().order_by("start_date", "pk").first()
        or Conference.objects.order_by("-start_date", "-pk").first()
    )
    organisation = (
        Organisation.objects.annotate(agreements=Count("agreement_parties"))
        .order_by("-agreements", "pk")
        .first()
    )
    # The largest programme (the dataset gives one world conference 300 items).
    large = (
        Conference.objects.published()
        .annotate(items=Count("sessions"))
        .order_by("-items", "pk")
        .first()
    )
    country = busiest(Organisation.objects.all(), "country")
    park_country = busiest(
        Organisation.objects.filter(kind=Organisation.Kind.SCIENCE_PARK), "country"
    )
    year = busiest(Agreement.objects.public().filter(signed_on__isnull=False), "signed_on__year")
    public_agreements = Agreement.objects.public().count()
    html_page, html_note = deep_page(public_agreements, per_page=20)
    api_page, api_note = deep_page(public_agreements, per_page=API_PAGE_SIZE)

    return [
        Endpoint("ceiling", reverse("bench-ceiling"), ceiling=True),
        Endpoint("home", reverse("home")),
        Endpoint("conference-list", reverse("conferences:conference-list")),
        Endpoint("conference-detail", conference.get_absolute_url()),
        Endpoint("conference-large", large.get_absolute_url()),
        Endpoint("conference-ics", reverse("conferences:conference-ics", args=[conference.slug])),
        Endpoint("members", reverse("members:organisation-list")),
        Endpoint(
            "members-filtered",
            f"{reverse('members:organisation-list')}?country={park_country}&kind=science_park",
        ),
        Endpoint("organisation", organisation.get_absolute_url()),
        Endpoint("search", f"{reverse('search')}?q=energy"),
        Endpoint("agreements", reverse("agreements:agreement-list")),
        Endpoint(
            "agreements-deep",
            f"{reverse('agreements:agreement-list')}?page={html_page}",
            note=html_note,
        ),
        Endpoint(
            "api-organisations",
            f"{reverse('api:organisation-list')}?country={country}&page_size={API_PAGE_SIZE}",
            api_list=True,
        ),
        Endpoint(
            "api-agreements",
            f"{reverse('api:agreement-list')}?year={year}&page_size={API_PAGE_SIZE}",
            api_list=True,
        ),
        Endpoint(
            "api-conferences-expand",
            f"{reverse('api:conference-list')}?expand=hosts,division&page_size={API_PAGE_SIZE}",
            api_list=True,
        ),
        Endpoint(
            "api-agreements-deep",
            f"{reverse('api:agreement-list')}?page={api_page}&page_size={API_PAGE_SIZE}",
            api_list=True,
            note=api_note,
        ),
        Endpoint("api-conference", reverse("api:conference-detail", args=[conference.slug])),
        # The insight pages: aggregates, the bounded network and the map's points.
        Endpoint("figures", reverse("figures")),
        Endpoint("network", reverse("agreements:network")),
        Endpoint("member-map-data", reverse("members:member-map-data")),
    ]


def busiest(queryset, field: str):
    from django.db.models import Count

    row = (
        queryset.order_by()
        .values(field)
        .annotate(rows=Count("pk"))
        .order_by("-rows", field)
        .first()
    )
    return row[field]


def deep_page(rows: int, *, per_page: int) -> tuple[int, str]:
    last = max(1, -(-rows // per_page))
    if last >= DEEP_PAGE:
        return DEEP_PAGE, ""
    return last, f"page {DEEP_PAGE} does not exist with {rows} rows; the last page instead"


def measure_queries(endpoints: list[Endpoint]) -> list[dict]:
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    cache.clear()
    client = Client(HTTP_HOST="127.0.0.1", HTTP_ACCEPT_ENCODING=ACCEPT_ENCODING)
    measured = []
    for endpoint in endpoints:
        counts, times = [], []
        for _attempt in range(2):
            with CaptureQueriesContext(connection) as queries:
                began = time.perf_counter()
                response = client.get(endpoint.path)
                times.append(1000 * (time.perf_counter() - began))
                body = (
                    b"".join(response.streaming_content) if response.streaming else response.content
                )
            counts.append(len(queries))
        measured.append(
            {
                **asdict(endpoint),
                "status": response.status_code,
                "content_type": response.get("Content-Type", ""),
                "content_encoding": response.get("Content-Encoding", ""),
                "bytes": len(body),
                "queries": counts[0],
                "queries_cached": counts[1],
                # One request alone, in this process: how long a visitor waits on an idle server.
                "alone_ms": round(times[0], 1),
                "alone_cached_ms": round(times[1], 1),
            }
        )
    return measured


def dataset_counts() -> dict[str, int]:
    from agreements.models import Agreement, AgreementParty
    from conferences.models import Appearance, Conference, Session
    from members.models import Division, Membership, Organisation, Person, Topic

    counted = {
        "organisations": Organisation.objects,
        "divisions": Division.objects,
        "topics": Topic.objects,
        "memberships": Membership.objects,
        "people": Person.objects,
        "conferences": Conference.objects,
        "sessions": Session.objects,
        "appearances": Appearance.objects,
        "agreements": Agreement.objects,
        "public_agreements": Agreement.objects.public(),
        "agreement_parties": AgreementParty.objects,
    }
    return {name: queryset.count() for name, queryset in counted.items()}


def versions() -> dict[str, str]:
    from importlib.metadata import version

    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        (postgres,) = cursor.fetchone()
    return {
        "python": platform.python_version(),
        "django": django.get_version(),
        "djangorestframework": version("djangorestframework"),
        "gunicorn": version("gunicorn"),
        "psycopg": version("psycopg"),
        "postgresql": postgres,
    }


def cache_settings() -> dict:
    from django.conf import settings

    return {
        "backend": settings.CACHES["default"]["BACKEND"],
        "PAGE_CACHE_env": os.environ.get("PAGE_CACHE"),
        # The page and API caching's own settings, as the server reads them.
        **{
            name: getattr(settings, name) for name in dir(settings) if name.startswith("PAGE_CACHE")
        },
    }


def main() -> None:
    django.setup()
    endpoints = pick_endpoints()
    report = {
        "endpoints": measure_queries(endpoints),
        "dataset": dataset_counts(),
        "versions": versions(),
        "cache": cache_settings(),
        "accept_encoding": ACCEPT_ENCODING,
    }
    json.dump(report, sys.stdout, indent=1, default=str)


if __name__ == "__main__":
    main()
