"""Two agents submit the admin's ruling form for the same case at the same moment."""

from __future__ import annotations

import re
from functools import partial

from django.test import Client
from django.utils import translation

from core.errors import CoreErrorCode, DomainError
from core.models import AuditEntry
from disputes.errors import DisputeErrorCode
from disputes.models import InterventionState, RefundPayment, Ruling
from tests import factories
from tests.admin.conftest import admin_path
from tests.concurrency.race import postgres_only, race

# The loser reads that the case is ruled: from the state it finds under the lock, or from the
# one-ruling constraint.
with translation.override("zh-hans"):
    ALREADY_RULED_IN_CHINESE = {
        DomainError(
            CoreErrorCode.TRANSITION_NOT_ALLOWED, {"state": InterventionState.RULED.label}
        ).message,
        DomainError(DisputeErrorCode.ALREADY_RULED).message,
    }

pytestmark = postgres_only


def _submit(client: Client, url: str, data: dict):
    # The page's text, not response.context: the test client's template capture is process-wide
    # and would mix the two threads' pages.
    response = client.post(url, data, follow=True)
    page = response.content.decode()
    return response.status_code, re.findall(r'<li class="(success|error)">(.*?)</li>', page)


def test_two_agents_submitting_the_ruling_form_at_once_give_one_ruling_and_a_message(wf, agent):
    other = factories.make_agent(username="agent-wang")
    clients = []
    for user in (agent, other):
        client = Client()
        client.force_login(user)
        clients.append(client)
    for _round in range(3):
        case = wf.intervention("under_review")
        url = admin_path(f"disputes/intervention/{case.pk}/rule/")
        forms = [
            {
                "outcome": "buyer_full_refund",
                "merchant_responsible": "on",
                "merchant_cooperated": "on",
                "penalty_points": "2",
                "rationale": "Broken zip.",
            },
            {"outcome": "merchant_wins", "penalty_points": "2", "rationale": "No defect."},
        ]

        outcomes = race(*(partial(_submit, c, url, f) for c, f in zip(clients, forms, strict=True)))

        # then both agents get a page (no error page), one ruling stands, the other agent reads why
        assert [o.error for o in outcomes] == [None, None]
        assert [o.value[0] for o in outcomes] == [200, 200]
        ruling = Ruling.objects.get(intervention=case)
        winner = (agent, other).index(ruling.agent)
        [(level, text)] = outcomes[1 - winner].value[1]
        assert level == "error"
        assert text in ALREADY_RULED_IN_CHINESE
        assert [level for level, _ in outcomes[winner].value[1]] == ["success"]
        for row in (case, case.refund):
            assert (
                AuditEntry.objects.filter(
                    target_id=row.pk, target_type__model=row._meta.model_name, action="rule"
                ).count()
                == 1
            )
        assert RefundPayment.objects.filter(refund=case.refund).count() == (
            1 if ruling.outcome == "buyer_full_refund" else 0
        )
