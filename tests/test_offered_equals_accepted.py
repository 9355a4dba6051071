"""What a person is offered is exactly what the services let them do.

For every kind of refund, case and ruling in the demo data and every demo account, each action
the selectors offer is tried through its service in a savepoint that is rolled back (it must
go through), and each action not offered is tried too (it must be refused).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from core.errors import CoreErrorCode, DomainError
from demo import loader as demo
from disputes import services as ds
from disputes.models import AppealDecision, Intervention, RefundRequest, RulingOutcome
from disputes.policies import (
    INTERVENTION_ACTIONS,
    REFUND_ACTIONS,
    intervention_actions,
    refund_actions,
)


class _RolledBack(Exception):
    pass


def _accepted(call: Callable[[], object]) -> bool:
    """Whether the service goes through; nothing it wrote is kept."""
    try:
        with transaction.atomic():
            call()
            raise _RolledBack
    except _RolledBack:
        return True
    except DomainError:
        return False


def _nothing_to_act_on(case: Intervention) -> None:
    raise DomainError(CoreErrorCode.TRANSITION_NOT_ALLOWED, {"state": case.state}, state=case.state)


def _refund_call(action: str, refund: RefundRequest, user, now) -> Callable[[], object]:
    extra = {
        "reject": {"reason": "Not as shown"},
        "offer": {
            "amount": (refund.amount / 2).quantize(Decimal("0.01")),
            "return_required": False,
            "message": "Half, and keep it",
        },
        "revise": {"amount": refund.amount, "reason": refund.reason},
        "escalate": {"statement": "Please step in"},
        "ship_return": {"courier": "sf", "tracking_number": "SF0001"},
    }.get(action, {})
    service = getattr(ds, f"refund_{action}")
    return lambda: service(refund=refund, actor=user, now=now, **extra)


def _case_call(action: str, case: Intervention, user, now) -> Callable[[], object]:
    ruling = getattr(case, "ruling", None)
    appeal = getattr(ruling, "appeal", None) if ruling is not None else None
    if action == "evidence":
        return lambda: ds.intervention_submit_evidence(
            intervention=case, actor=user, statement="More detail", now=now
        )
    if action == "rule":
        return lambda: ds.intervention_rule(
            intervention=case,
            actor=user,
            outcome=RulingOutcome.MERCHANT_WINS,
            rationale="The tracking shows delivery.",
            merchant_responsible=False,
            now=now,
        )
    if action == "appeal":
        if ruling is None:
            return lambda: _nothing_to_act_on(case)
        return lambda: ds.ruling_appeal(ruling=ruling, actor=user, statement="New proof", now=now)
    if appeal is None:
        return lambda: _nothing_to_act_on(case)
    return lambda: ds.appeal_decide(
        appeal=appeal, actor=user, decision=AppealDecision.UPHOLD, note="Stands", now=now
    )


def _one_of_each(rows, key) -> list:
    seen = {}
    for row in rows:
        seen.setdefault(key(row), row)
    return list(seen.values())


@pytest.mark.django_db
def test_every_offered_action_goes_through_and_every_other_is_refused():
    now = timezone.now().replace(second=0, microsecond=0)
    demo.demo_load(seed=None, now=now)
    now += timedelta(minutes=1)
    users = list(get_user_model().objects.order_by("username"))
    refunds = _one_of_each(
        RefundRequest.objects.select_related("intervention").order_by("pk"),
        key=lambda r: (
            r.state,
            r.kind,
            r.platform_ordered_return,
            r.escalated_at is not None,
            getattr(getattr(r, "intervention", None), "state", None),
        ),
    )
    cases = _one_of_each(
        Intervention.objects.order_by("pk"),
        key=lambda c: (
            c.state,
            c.merchant_submitted_at is not None,
            getattr(getattr(c, "ruling", None), "outcome", None),
            getattr(getattr(c, "ruling", None), "overturned_at", None) is not None,
        ),
    )
    assert {r.state for r in refunds} >= {"requested", "rejected", "in_intervention", "refunded"}
    assert {c.state for c in cases} >= {"awaiting_evidence", "under_review", "ruled", "appealed"}

    mismatches, offered_count = [], 0
    for user in users:
        for refund in refunds:
            offered = set(refund_actions(refund, user, now=now))
            offered_count += len(offered)
            for action in REFUND_ACTIONS:
                went_through = _accepted(_refund_call(action, refund, user, now))
                if went_through != (action in offered):
                    mismatches.append((user.username, f"refund {refund.state}", action))
        for case in cases:
            offered = set(intervention_actions(case, user, now=now))
            offered_count += len(offered)
            for action in INTERVENTION_ACTIONS:
                went_through = _accepted(_case_call(action, case, user, now))
                if went_through != (action in offered):
                    mismatches.append((user.username, f"case {case.state}", action))

    assert mismatches == []
    assert offered_count > 20  # the demo offers plenty: the check is not vacuous
