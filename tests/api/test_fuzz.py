"""Schemathesis against the API's own schema: every generated request gets a documented answer.

Each operation is tried with requests that fit the schema and with ones that do not, once
anonymously and once with a staff token (which may write), over the demo data, and every answer
goes through every check Schemathesis has (`schemathesis.checks.CHECKS`) but those excluded
below, each with its reason.

The examples are the same on every run of the same schema: Hypothesis is derandomised and
keeps no example database, and `make test` fixes PYTHONHASHSEED, on which the order of some of
Schemathesis's choices depends. A run of bare `pytest` may draw other examples. `make fuzz`
draws many more (API_FUZZ_EXAMPLES).
"""

import functools
import os
import re

import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import CHECKS, load_all_checks
from schemathesis.specs.openapi.checks import AcceptedNegativeData

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "15"))
# Checks that cannot pass by the API's design, each with the reason.
EXCLUDED_CHECKS = {
    # "Schema-valid request rejected": the API answers 400 to requests the schema allows. Part
    # of it is a gap in the schema (the query parameters `page` has no minimum, `page_size` no
    # maximum, `expand` and `ordering` no enum, bodies no `additionalProperties: false`), but
    # part cannot be declared in OpenAPI at all: an agreement needs two parties that exist, an
    # end date after its start date, a slug nobody else has, a `year_from` before `year_to`.
    "positive_data_acceptance": "constraints the schema cannot express (see above)",
}
load_all_checks()


def without_empty_filters(check):
    """`negative_data_rejection`, but an empty query value is not invalid data: the filters read
    it as no filter, as an HTML filter form sends every field, filled or not (`?signed_after=`).
    """

    @functools.wraps(check)
    def wrapped(ctx, response, case):
        try:
            return check(ctx, response, case)
        except AcceptedNegativeData as failure:
            # "parameter `x` in query", or "parameters `x`, `y` in query": all of them empty.
            component = re.search(r"parameters? ((?:`[^`]+`(?:, )?)+) in query", failure.message)
            names = re.findall(r"`([^`]+)`", component[1]) if component else []
            query = case.query or {}
            # An empty object or list is sent as an empty value too (`?year_to=`).
            if names and all(query.get(name) in ("", [""], {}, []) for name in names):
                return None
            raise

    return wrapped


ALL_CHECKS = [
    without_empty_filters(check) if check.__name__ == "negative_data_rejection" else check
    for check in CHECKS.get_all()
    if check.__name__ not in EXCLUDED_CHECKS
]


@pytest.fixture
def keep_test_connection():
    """Requests go through the real WSGI handler, which closes the database connection when
    a request ends; that would end the test's transaction. Django's test client does the same.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(keep_test_connection):
    call_command("load_demo", verbosity=0)
    return schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", get_wsgi_application())


def run(operation, mode: GenerationMode, headers: dict) -> None:
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def check(case):
        # Uncompressed: the checks read the body as it is.
        case.headers = {**(case.headers or {}), **headers, "Accept-Encoding": "identity"}
        response = case.call()
        # The sent headers tell the auth checks which credentials this case carried.
        case.validate_response(response, checks=ALL_CHECKS, headers=case.headers)

    try:
        check()
    except Unsatisfiable:
        # A read whose only input is a free-text slug, with the token optional, has no
        # invalid request to generate.
        if mode is not GenerationMode.NEGATIVE:
            raise


def test_every_check_but_the_excluded_runs():
    names = {check.__name__ for check in ALL_CHECKS}
    assert {"not_a_server_error", "ignored_auth", "negative_data_rejection"} <= names
    assert len(names) + len(EXCLUDED_CHECKS) == len(CHECKS.get_all())


@pytest.mark.parametrize("caller", ["anonymous", "staff"])
def test_every_generated_request_gets_a_documented_answer(api_schema, caller, request):
    headers = {}
    if caller == "staff":
        token = request.getfixturevalue("staff_token")
        headers = {"Authorization": f"Bearer {token.key}"}
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 2

    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            run(operation, mode, headers)
