from decimal import Decimal

from disputes.models import RefundPayment
from penalties.services import points_in_period


def test_a_lost_dispute_refunds_the_buyer_and_penalises_the_shop(wf, shop):
    intervention = wf.intervention("under_review")

    ruling = wf.rule_against_merchant(intervention)

    refund = intervention.refund
    refund.refresh_from_db()
    assert refund.state == "refunded"
    assert RefundPayment.objects.get(refund=refund).amount == Decimal("100.00")
    refund.order.refresh_from_db()
    assert refund.order.state == "refunded"
    assert points_in_period(shop_id=shop.pk, period=2026) == 2
    shop.refresh_from_db()
    assert shop.dispute_cases == 1
    assert ruling.appeal_deadline > ruling.created_at


def test_every_database_has_the_platform_groups_after_migrating(db):
    from django.contrib.auth.models import Group

    from core.roles import AGENTS_GROUP, SUPERVISORS_GROUP

    groups = Group.objects.filter(name__in=[AGENTS_GROUP, SUPERVISORS_GROUP])
    assert groups.count() == 2
    for group in groups:
        assert group.permissions.filter(codename="view_refundrequest").exists()
