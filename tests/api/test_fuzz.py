"""Schemathesis against the API's own schema: every generated request gets a documented answer.

Each operation is tried with requests that fit the schema and with ones that do not, once
anonymously and once with a staff token (which may write), over the demo data. The run is
deterministic (derandomized), so a failure here fails the same way again.
"""

import os

import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "15"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
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
        case.validate_response(response, checks=CHECKS)

    try:
        check()
    except Unsatisfiable:
        # A read whose only input is a free-text slug, with the token optional, has no
        # invalid request to generate.
        if mode is not GenerationMode.NEGATIVE:
            raise


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
