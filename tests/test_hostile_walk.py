"""Every public page and every API operation, sent what an attacker or a broken client sends.

Nothing here is a hand list. The pages come from the URL map (`admin/`, static and media files
and `api/v1/`, which the schema describes, left out); their path parameters are filled with real
values found by following the links of the demo data's pages, and with hostile ones; their query
parameters are the fields of the GET forms that point at them, plus `page`. The API operations,
their path and query parameters and their request bodies come from the OpenAPI schema; reads
are sent anonymously, writes with a staff token, with hostile JSON bodies.

The answer may be anything but a server error. Each parameter gets a deterministic sample of the
corpus (tests/hostile_support.py); `HOSTILE_WALK_ALL=1` (`make fuzz`) sends all of it. With
`-s` each case prints how many requests it sent and how many 5xx it saw, and the module prints
the totals.
"""

import json
import re
from collections import Counter, defaultdict
from urllib.parse import parse_qsl, quote, urljoin, urlsplit

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from django.urls.resolvers import RegexPattern
from rest_framework.test import APIClient

from members.models import Topic
from tests.factories import webhook_delivery, webhook_subscription
from tests.hostile_support import (
    BODY_VALUES,
    CORPUS,
    EVERYTHING,
    PATH_CORPUS,
    RAW_BODIES,
    Walk,
    encode,
    parse_page,
    query,
    sample,
)

pytestmark = pytest.mark.django_db

SKIPPED = tuple(
    prefix.lstrip("/")
    for prefix in ("admin/", "api/v1/", settings.STATIC_URL, settings.MEDIA_URL)
    if prefix and prefix.lstrip("/")
)
CONVERTER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")
WRITES = ("post", "put", "patch", "delete")

# A 5xx the walk has found and that is not fixed yet: route or schema path -> reason. Each one
# marks its own case `xfail(strict=True)`, so the fix turns the suite red until it is removed.
KNOWN_5XX: dict[str, str] = {}


def page_routes() -> tuple[list[str], list[str]]:
    """The URL map's routes the walk covers, and the ones it cannot fill (regular expressions)."""
    routes, unfillable = [], []

    def walk(patterns, prefix="", regex=False):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            is_regex = regex or isinstance(pattern.pattern, RegexPattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route, is_regex)
            elif not route.startswith(SKIPPED) and route not in routes + unfillable:
                (unfillable if is_regex else routes).append(route)

    walk(get_resolver().url_patterns)
    return routes, unfillable


def api_paths() -> dict[str, bool]:
    """The schema's paths (and whether they write), from the generator behind /api/v1/schema/
    (no database needed at collection); the test checks the served schema has the same."""
    from drf_spectacular.generators import SchemaGenerator

    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    return {path: any(method in WRITES for method in paths[path]) for path in sorted(paths)}


PAGE_ROUTES, UNFILLABLE = page_routes()
API_PATHS = api_paths()


def case(value: str, writes: bool = False):
    marks = []
    if value in KNOWN_5XX:
        marks = [pytest.mark.xfail(strict=True, reason=KNOWN_5XX[value])]
    return pytest.param(value, marks=marks, id=value or "/")


class World:
    """The demo data, the real address of each page route, each route's form fields, the schema."""

    crawled_pages = 0

    def __init__(self, client: Client):
        self.real = defaultdict(list)  # route -> [(path, kwargs)]
        self.fields = defaultdict(lambda: defaultdict(set))  # route -> name -> values seen
        self.crawled = 0
        self.crawl(client)
        World.crawled_pages = self.crawled
        self.schema = client.get("/api/v1/schema/?format=json").json()

    def crawl(self, client: Client) -> None:
        queue = ["/" + route for route in PAGE_ROUTES if not CONVERTER.search(route)]
        for route in PAGE_ROUTES:
            if not CONVERTER.search(route):
                self.real[route].append(("/" + route, {}))
        seen = set()
        while queue:
            url = queue.pop(0)
            if url in seen:
                continue
            seen.add(url)
            response = client.get(url)
            self.crawled += 1
            kind = response.get("Content-Type", "")
            html = "html" in kind or "xml" in kind
            if response.status_code != 200 or response.streaming or not html:
                continue
            page = parse_page(response.content)
            for href in page.links:
                parts = urlsplit(urljoin(url, href))
                if parts.netloc not in ("", "testserver") or not parts.path.startswith("/"):
                    continue
                match = self.resolve(parts.path)
                if match is None:
                    continue
                for name, value in parse_qsl(parts.query):
                    self.fields[match.route][name].add(value)
                known = [path for path, _ in self.real[match.route]]
                wanted = 3 if EVERYTHING else 1
                fillable = CONVERTER.search(match.route)
                if fillable and len(known) < wanted and parts.path not in known:
                    self.real[match.route].append((parts.path, match.kwargs))
                    queue.append(parts.path)
            for action, names in page.forms:
                match = self.resolve(urlsplit(urljoin(url, action)).path)
                if match is not None:
                    for name, values in names.items():
                        self.fields[match.route][name] |= values

    @staticmethod
    def resolve(path: str):
        try:
            match = resolve(path)
        except Resolver404:
            return None
        return match if match.route in PAGE_ROUTES else None


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Loaded and crawled once for the module, in a transaction rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", verbosity=0)
        # A record that left, so that the removed feed has a row to walk too.
        Topic.objects.create(name="Withdrawn topic", slug="withdrawn-topic").delete()
        cache.clear()
        yield World(Client())
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def totals():
    counts = Counter()
    yield counts
    print(
        f"\nhostile walk total: {counts['requests']} requests "
        f"({counts['page requests']} to pages, {counts['api requests']} to the API), "
        f"{counts['5xx']} 5xx, {counts['crawled']} pages crawled for real values"
    )


def finish(walk: Walk, label: str, totals: Counter, kind: str) -> None:
    totals["crawled"] = World.crawled_pages
    totals["requests"] += walk.sent
    totals[kind] += walk.sent
    totals["5xx"] += len(walk.failures)
    print(f"\n{walk.report(label)}")
    assert not walk.failures, f"{len(walk.failures)} server errors:\n\n" + "\n\n".join(
        walk.failures
    )


def fill(route: str, kwargs: dict, hostile_name: str | None = None, value=None) -> str:
    def one(match):
        name = match["name"]
        return encode(value) if name == hostile_name else quote(str(kwargs[name]), safe="")

    return "/" + CONVERTER.sub(one, route)


# The members' area: its pages need a signed-in member, so the anonymous crawl finds no real
# value for them; tests/account/test_hostile_area.py walks them signed in, and
# tests/account/test_sign_in.py sends hostile keys to django-allauth's two regular-expression
# routes (an e-mail confirmation key, a password-reset key).
SIGNED_IN_PREFIX = "account/"


def test_the_url_map_is_walkable(world, totals):
    totals["crawled"] = world.crawled
    unfillable = [route for route in UNFILLABLE if not route.startswith(SIGNED_IN_PREFIX)]
    assert not unfillable, f"teach the walk these regular-expression routes: {unfillable}"
    assert len(PAGE_ROUTES) >= 10
    assert set(world.schema["paths"]) == set(API_PATHS), "the served schema differs"
    missing = [
        route
        for route in PAGE_ROUTES
        if not world.real[route] and not route.startswith(SIGNED_IN_PREFIX)
    ]
    # Walked with hostile values only: the demo data links to no real one (private files).
    print(f"\nroutes without a real value in the demo data: {missing}")
    assert len(missing) <= 2, missing


@pytest.mark.parametrize("route", [case(route) for route in PAGE_ROUTES])
def test_page_never_answers_5xx(world, totals, route):
    walk, client = Walk(), Client()
    fields = world.fields[route]
    names = sorted({*fields, "page"})
    for match in [] if world.real[route] else CONVERTER.finditer(route):
        for value in sample(PATH_CORPUS, f"{route}<{match['name']}>"):
            walk.send(client, "GET", fill(route, {}, match["name"], value))
    for url, kwargs in world.real[route]:
        walk.send(client, "GET", url)
        walk.send(client, "HEAD", url)
        for name in names:
            for value in sample(CORPUS, f"{route}?{name}"):
                walk.send(client, "GET", f"{url}?{query([(name, value)])}")
            real = min(fields.get(name) or {"1"})
            hostile = sample(CORPUS, f"{route}?{name}&", 1)[0]
            walk.send(client, "GET", f"{url}?{query([(name, real), (name, hostile)])}")
            walk.send(client, "GET", f"{url}?{query([(name, '')])}")
        everything = [(name, sample(CORPUS, f"{route}*{name}", 1)[0]) for name in names]
        walk.send(client, "GET", f"{url}?{query(everything)}")
        walk.send(client, "GET", f"{url}?{query([(CORPUS[0], '1'), (CORPUS[4], '1')])}")
        walk.send(
            client,
            "POST",
            url,
            data=query(everything),
            content_type="application/x-www-form-urlencoded",
        )
        for match in CONVERTER.finditer(route):
            for value in sample(PATH_CORPUS, f"{route}<{match['name']}>"):
                walk.send(client, "GET", fill(route, kwargs, match["name"], value))
    finish(walk, route or "/", totals, "page requests")


def body_schema(schema: dict, operation: dict) -> dict:
    content = operation.get("requestBody", {}).get("content", {})
    node = content.get("application/json", {}).get("schema", {})
    while "$ref" in node:
        target = schema
        for part in node["$ref"].split("/")[1:]:
            target = target[part]
        node = target
    return node


def first_item(client, path: str) -> dict:
    collection = path[: path.index("{")] if "{" in path else path
    data = client.get(collection, HTTP_ACCEPT="application/json").json()
    items = data.get("results", data) if isinstance(data, dict) else data
    if not isinstance(items, list):
        return {}  # not a collection of records (the network's graph)
    assert items, f"the demo data has nothing at {collection}"
    return items[0]


@pytest.mark.parametrize("path", [case(path, writes) for path, writes in API_PATHS.items()])
def test_api_operation_never_answers_5xx(world, totals, staff_api_client, staff_token, path):
    schema = world.schema
    assert path in schema["paths"], f"{path} is not in the served schema"
    if path.startswith("/api/v1/webhooks/"):
        # A token reads its own subscriptions only: the demo data cannot hold the test's.
        webhook_delivery(subscription=webhook_subscription(token=staff_token))
    walk, anonymous = Walk(), APIClient()
    item = schema["paths"][path]
    sample_item = first_item(staff_api_client, path)
    path_names = re.findall(r"{(\w+)}", path)
    real = {name: sample_item.get(name, sample_item.get("id")) for name in path_names}
    url = path.format(**{name: quote(str(value), safe="") for name, value in real.items()})

    def hostile_paths(key):
        for name in path_names:
            for value in sample(PATH_CORPUS, f"{key}{{{name}}}"):
                yield path.format(**{**real, name: encode(value)})

    for method, operation in item.items():
        if method not in ("get", *WRITES):
            continue
        key = f"{method} {path}"
        if method == "get":
            walk.send(anonymous, "GET", url)
            walk.send(staff_api_client, "GET", url)
            names = [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"]
            for name in names:
                for value in sample(CORPUS, f"{key}?{name}"):
                    walk.send(anonymous, "GET", f"{url}?{query([(name, value)])}")
                hostile = sample(CORPUS, f"{key}?{name}&", 1)[0]
                walk.send(anonymous, "GET", f"{url}?{query([(name, '1'), (name, hostile)])}")
                walk.send(anonymous, "GET", f"{url}?{query([(name, '')])}")
            everything = [(name, sample(CORPUS, f"{key}*{name}", 1)[0]) for name in names]
            walk.send(anonymous, "GET", f"{url}?{query(everything)}")
            for hostile_url in hostile_paths(key):
                walk.send(anonymous, "GET", hostile_url)
            continue

        verb = method.upper()
        base = {} if method == "patch" else dict(sample_item)
        if method == "post":
            base["slug"] = "hostile-walk-new"

        def send_json(body, target=url, client=staff_api_client, note="", verb=verb):
            data = json.dumps(body)
            walk.send(client, verb, target, note, data=data, content_type="application/json")

        send_json(base, client=anonymous)
        for name in sorted(body_schema(schema, operation).get("properties", {})):
            for value in sample(BODY_VALUES, f"{key}.{name}"):
                send_json({**base, name: value}, note=f" with {name}={value!r:.80}")
        for raw in sample(RAW_BODIES, f"{key} raw"):
            walk.send(
                staff_api_client, method.upper(), url, data=raw, content_type="application/json"
            )
        walk.send(
            staff_api_client,
            method.upper(),
            url,
            data=query([("title", CORPUS[0]), ("slug", CORPUS[4])]),
            content_type="application/x-www-form-urlencoded",
        )
        walk.send(staff_api_client, method.upper(), url, data="x", content_type="text/plain")
        for hostile_url in hostile_paths(key):
            send_json(base, target=hostile_url)

    for method in ("PUT", "PATCH", "DELETE", "POST", "OPTIONS"):
        if method.lower() not in item:
            walk.send(staff_api_client, method, url, data="{}", content_type="application/json")
    finish(walk, path, totals, "api requests")
