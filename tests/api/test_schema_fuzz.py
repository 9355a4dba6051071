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
from schemathesis.checks import CHECKS, load_all_checks

from config.wsgi import application

pytestmark = pytest.mark.django_db

load_all_checks()


def positive_data_acceptance(ctx, response, case):
    """Schema-valid input is taken, or refused with a documented 400 or 422 that names why by
    its code: rules no schema states (a password too common, an address in use, more than was
    paid, a NUL in a text; an Idempotency-Key used for another request) refuse well-formed
    input. Any other refusal (a 400 without its code, a 405, a 415…) still fails."""
    if response.status_code in (400, 422) and "code" in response.json():
        return None
    return CHECKS.get_one("positive_data_acceptance")(ctx, response, case)


# `--checks all`: no server error; every status, content type, header and body as the schema
# declares them; invalid input refused and valid input taken; the methods it does not list
# answered 405 with an Allow header; auth not ignored; another party's objects not shown.
ALL_CHECKS = [
    positive_data_acceptance if name == "positive_data_acceptance" else check
    for name, check in zip(CHECKS.get_all_names(), CHECKS.get_all(), strict=True)
]
# Small enough that the three roles take under two minutes together; CI replays the same
# examples (tests/conftest.py), other runs draw new ones.
EXAMPLES_PER_OPERATION = 6
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
    given = case.path_parameters["id"]
    if real is not None and isinstance(given, int) and given % 2 == 0:
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
            checks=ALL_CHECKS,
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
