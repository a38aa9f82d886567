"""Schemathesis over the webhook operations, with a token that has a subscription and its
delivery log: test_fuzz.py's staff token has none, so there every call is a 404 or a create.
"""

import pytest
from schemathesis import GenerationMode

from tests.api.test_fuzz import api_schema, keep_test_connection, run  # noqa: F401
from tests.factories import webhook_delivery, webhook_subscription

pytestmark = pytest.mark.django_db


def test_every_generated_webhook_request_of_an_owner_gets_a_documented_answer(
    api_schema,  # noqa: F811
    staff_token,
):
    webhook_delivery(subscription=webhook_subscription(token=staff_token))
    headers = {"Authorization": f"Bearer {staff_token.key}"}
    schema = api_schema.include(path_regex="^/api/v1/webhooks/")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 10

    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            run(operation, mode, headers)
