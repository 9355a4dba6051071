"""A shop with a long history, bulk-created straight into the tables: many orders, and rulings
against the shop with their penalty records. Only for tests that count queries or time pages;
every workflow test reaches its states through the services instead."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from disputes.models import Appeal, Intervention, RefundRequest, Ruling
from orders.models import Order
from penalties.models import PenaltyKind, PenaltyRecord
from penalties.services import penalty_period


def bulk_history(*, shop, buyer, agent, merchant, now: datetime, orders: int, rulings: int):
    """`orders` completed orders over the last 90 days and `rulings` lost disputes on the
    first of them (every third without cooperation, so 375 rulings write 500 records; every
    fifth appealed)."""
    rows = Order.objects.bulk_create(
        Order(
            number=f"B{shop.pk:04d}{i:08d}",
            buyer=buyer,
            shop=shop,
            state="completed",
            total=Decimal("39.90") if i % 2 else Decimal("129.00"),
            created_at=now - timedelta(minutes=13 * i),
            paid_at=now - timedelta(minutes=13 * i),
            completed_at=now - timedelta(minutes=13 * i),
        )
        for i in range(orders)
    )
    refunds = RefundRequest.objects.bulk_create(
        RefundRequest(
            order=order,
            buyer=buyer,
            shop=shop,
            kind="refund_only",
            reason="quality_problem",
            amount=order.total,
            state="refunded",
            created_at=order.paid_at,
            responded_at=order.paid_at + timedelta(hours=3),
        )
        for order in rows[:rulings]
    )
    cases = Intervention.objects.bulk_create(
        Intervention(
            refund=refund,
            shop=shop,
            buyer=buyer,
            state="appealed" if i % 5 == 0 else "ruled",
            buyer_statement="Broken on arrival",
            evidence_deadline=refund.created_at + timedelta(hours=48),
            opened_at=refund.created_at,
        )
        for i, refund in enumerate(refunds)
    )
    ruled = Ruling.objects.bulk_create(
        Ruling(
            intervention=case,
            agent=agent,
            outcome="buyer_full_refund",
            refund_amount=case.refund.amount,
            merchant_responsible=True,
            merchant_cooperated=i % 3 != 1,
            penalty_points=2,
            rationale="The photos show the damage.",
            created_at=case.opened_at + timedelta(days=3),
            appeal_deadline=case.opened_at + timedelta(days=33),
        )
        for i, case in enumerate(cases)
    )
    Appeal.objects.bulk_create(
        Appeal(ruling=ruling, appellant=merchant, statement="New courier photos")
        for i, ruling in enumerate(ruled)
        if i % 5 == 0
    )
    records = []
    for ruling in ruled:
        period = penalty_period(ruling.created_at)
        records.append(
            PenaltyRecord(
                shop=shop,
                ruling=ruling,
                kind=PenaltyKind.DISPUTE_LOST,
                points=2,
                period=period,
                created_at=ruling.created_at,
            )
        )
        if not ruling.merchant_cooperated:
            records.append(
                PenaltyRecord(
                    shop=shop,
                    ruling=ruling,
                    kind=PenaltyKind.NON_COOPERATION,
                    points=4,
                    period=period,
                    created_at=ruling.created_at,
                )
            )
    PenaltyRecord.objects.bulk_create(records)
    return rows
