"""Two rulings at the same moment: on one case (one winner), and on two cases of one shop that
together cross the restriction threshold (restricted exactly once)."""

from __future__ import annotations

from functools import partial

from core.errors import TransitionNotAllowed
from core.models import AuditEntry
from demo.workflow import Workflow
from disputes import services as ds
from disputes.models import RefundPayment, RefundState, Ruling, RulingOutcome
from penalties.models import PenaltyKind, PenaltyRecord, Restriction
from penalties.services import points_in_period
from tests import factories
from tests.concurrency.race import one_winner, postgres_only, race

pytestmark = postgres_only

ROUNDS = 4


def _audit(obj, action: str) -> int:
    return AuditEntry.objects.filter(
        target_id=obj.pk, target_type__model=obj._meta.model_name, action=action
    ).count()


def _rule(intervention, agent, now, *, merchant_wins: bool):
    if merchant_wins:
        kwargs = {"outcome": RulingOutcome.MERCHANT_WINS, "merchant_responsible": False}
    else:
        kwargs = {
            "outcome": RulingOutcome.BUYER_FULL_REFUND,
            "merchant_responsible": True,
            "merchant_cooperated": False,
        }
    return ds.intervention_rule(
        intervention=intervention, actor=agent, rationale=f"by {agent}", now=now, **kwargs
    )


def test_two_agents_ruling_the_same_case_at_once_give_one_ruling(wf, agent):
    # given cases under review, and a second agent
    other_agent = factories.make_agent(username="agent2")
    cases = [wf.intervention("under_review") for _ in range(ROUNDS)]

    for round_, case in enumerate(cases):
        # when both agents rule it at the same moment (in odd rounds they disagree)
        outcomes = race(
            partial(_rule, case, agent, wf.now, merchant_wins=False),
            partial(_rule, case, other_agent, wf.now, merchant_wins=round_ % 2 == 1),
        )

        # then one ruling wins; the other agent hears a clear conflict, not a database error
        winner, won = one_winner(outcomes)
        assert isinstance(outcomes[1 - winner].error, TransitionNotAllowed)
        ruling = Ruling.objects.get(intervention=case)
        assert ruling.pk == won.value.pk
        assert ruling.agent == (agent, other_agent)[winner]
        refund = case.refund
        refund.refresh_from_db()
        order = refund.order
        order.refresh_from_db()
        payments = RefundPayment.objects.filter(refund=refund)
        kinds = sorted(PenaltyRecord.objects.filter(ruling=ruling).values_list("kind", flat=True))
        if ruling.outcome == RulingOutcome.MERCHANT_WINS:
            assert refund.state == RefundState.CLOSED
            assert not payments.exists()
            assert kinds == []
            assert order.refunded_amount == 0
        else:
            assert refund.state == RefundState.REFUNDED
            assert payments.count() == 1
            assert order.refunded_amount == payments.get().amount == refund.amount
            assert kinds == [PenaltyKind.DISPUTE_LOST, PenaltyKind.NON_COOPERATION]
        assert _audit(case, "rule") == 1
        assert _audit(refund, "rule") == 1


def _shop_with_points_and_two_open_cases(agent, supervisor, now, name):
    """A fresh shop at 10 points (five real lost disputes of 2 points) with two cases under
    review, each worth 2 more."""
    shop = factories.ShopFactory(name=name)
    flow = Workflow(
        buyer=factories.UserFactory(),
        merchant=factories.make_merchant(shop=shop),
        agent=agent,
        supervisor=supervisor,
        product=factories.ProductFactory(shop=shop),
        now=now,
    )
    for _ in range(5):
        flow.intervention("ruled")
    open_cases = [flow.intervention("under_review") for _ in range(2)]
    assert points_in_period(shop_id=shop.pk, period=2026) == 10
    return shop, flow, open_cases


def test_two_rulings_crossing_the_threshold_at_once_restrict_the_shop_exactly_once(
    agent, supervisor, t0
):
    other_agent = factories.make_agent(username="agent2")
    for round_ in range(3):
        # given a shop at 10 points with two open cases
        shop, flow, (first, second) = _shop_with_points_and_two_open_cases(
            agent, supervisor, t0, f"Shop {round_}"
        )

        # when two agents rule both against the shop at the same moment (10 + 2 + 2 = 14)
        outcomes = race(
            partial(flow.rule_against_merchant, first),
            partial(
                ds.intervention_rule,
                intervention=second,
                actor=other_agent,
                now=flow.now,
                outcome=RulingOutcome.BUYER_FULL_REFUND,
                rationale="Defect shown.",
                merchant_responsible=True,
                merchant_cooperated=True,
            ),
        )

        # then both rulings stand, and the 12th point restricted the shop exactly once
        assert [o.error for o in outcomes] == [None, None]
        assert points_in_period(shop_id=shop.pk, period=2026) == 14
        restriction = Restriction.objects.get(shop=shop)
        assert restriction.level == 1
        assert restriction.points_at_start == 12  # the second ruling counted after the first
        assert restriction.ruling_id in {o.value.pk for o in outcomes}
        assert _audit(shop, "restrict") == 1
        assert _audit(shop, "penalty") == 7
        shop.refresh_from_db()
        assert shop.restricted_until == restriction.ends_at
        assert shop.dispute_cases == 7
