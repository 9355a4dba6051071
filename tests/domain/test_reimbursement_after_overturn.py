from decimal import Decimal

from disputes import services as ds
from disputes.models import AppealDecision, PlatformReimbursement, RulingOutcome


def test_a_ruled_return_paid_after_its_ruling_was_overturned_is_reimbursed_to_the_shop(wf):
    intervention = wf.intervention("under_review")
    ruling = wf.rule_against_merchant(
        intervention, outcome=RulingOutcome.BUYER_FULL_REFUND, return_required=True
    )
    appeal = ds.ruling_appeal(ruling=ruling, actor=wf.merchant, statement="New photos", now=wf.now)
    ds.appeal_decide(
        appeal=appeal,
        actor=wf.supervisor,
        decision=AppealDecision.OVERTURN,
        note="Photos",
        now=wf.now,
    )
    assert not PlatformReimbursement.objects.filter(ruling=ruling).exists()  # nothing paid yet

    refund = ds.refund_ship_return(
        refund=intervention.refund,
        actor=wf.buyer,
        courier="yto",
        tracking_number="YT1",
        now=wf.later(days=1),
    )
    ds.refund_confirm_return(refund=refund, actor=wf.merchant, now=wf.later(days=1))

    reimbursement = PlatformReimbursement.objects.get(ruling=ruling)
    assert reimbursement.amount == Decimal("100.00")
