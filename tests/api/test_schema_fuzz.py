"""Schemathesis drives every operation of the published OpenAPI schema in-process, as a
buyer, a merchant and an agent: no answer is a server error, and every answer matches the
schema. Path ids are steered to real objects half of the time so that actions run for real.

(The operations are looped over by hand with `operation.as_strategy()`: schemathesis's own
pytest integration does not run under pytest 9.)
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from config.wsgi import application

pytestmark = pytest.mark.django_db

EXAMPLES_PER_OPERATION = 12
FUZZ = settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)


@pytest.fixture
def keep_test_connection():
    """Django's WSGI handler closes the connection at each request's start and end; in a
    test that would end the test's transaction. Django's own test client does the same."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def operations(db, keep_test_connection):
    schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
    return [result.ok() for result in schema.get_all_operations()]


@pytest.fixture
def objects(wf):
    """Real objects for the generated requests to land on, one of each kind."""
    ruled = wf.intervention("ruled")
    return {
        "orders": wf.order("paid").pk,
        "refunds": wf.refund("requested").pk,
        "interventions": wf.intervention("awaiting_evidence").pk,
        "rulings": ruled.ruling.pk,
        "shops": wf.product.shop_id,
    }


def steer_to_real_object(case, objects) -> None:
    if "id" not in case.path_parameters:
        return
    resource = case.path.split("/")[3]  # /api/v1/<resource>/{id}/...
    real = objects.get(resource)
    if real is not None and case.path_parameters["id"] % 2 == 0:
        case.path_parameters["id"] = real


def fuzz_one(operation, token: str, objects: dict) -> int:
    """Run the operation's generated cases; return how many requests were sent."""
    sent = []

    @FUZZ
    @given(case=operation.as_strategy())
    def run(case):
        steer_to_real_object(case, objects)
        case.call_and_validate(
            headers={"Authorization": f"Token {token}"},
            checks=[not_a_server_error, response_schema_conformance],
        )
        sent.append(case)

    run()
    return len(sent)


def fuzz_every_operation(operations, user, objects) -> dict[str, int]:
    token = Token.objects.get_or_create(user=user)[0].key
    return {
        f"{operation.method.upper()} {operation.path}": fuzz_one(operation, token, objects)
        for operation in operations
    }


def assert_really_ran(calls: dict[str, int]) -> None:
    assert len(calls) >= 30  # every operation of SPEC §8 is in the schema
    assert all(count > 0 for count in calls.values()), calls


def test_as_a_buyer_every_operation_answers_within_the_schema(operations, buyer, objects):
    assert_really_ran(fuzz_every_operation(operations, buyer, objects))


def test_as_a_merchant_every_operation_answers_within_the_schema(operations, merchant, objects):
    assert_really_ran(fuzz_every_operation(operations, merchant, objects))


def test_as_an_agent_every_operation_answers_within_the_schema(operations, agent, objects):
    assert_really_ran(fuzz_every_operation(operations, agent, objects))
