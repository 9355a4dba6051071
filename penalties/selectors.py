"""Reads for the merchant's penalty dashboard (SPEC §6)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import Avg, Count, F, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from core.rules import get_rules
from merchants.models import Shop
from orders.models import Order
from penalties.models import PenaltyKind, PenaltyRecord, Restriction
from penalties.services import lost_dispute_rate, penalty_period, points_in_period


@dataclass(frozen=True)
class RefundResponseStats:
    answered: int
    average_response_hours: float | None
    auto_approved: int
    median_response_hours: float | None = None


@dataclass(frozen=True)
class Dashboard:
    shop: Shop
    period: int
    points: int
    threshold: int
    restriction: Restriction | None
    restricted_until: datetime | None
    records: list[PenaltyRecord]
    lost_disputes_30_days: int
    lost_disputes_90_days: int
    paid_orders_90_days: int
    lost_dispute_rate_90_days: Decimal
    seller_level: str
    ranking_score: Decimal
    paid_orders_30_days: int
    lost_dispute_rate_30_days: Decimal
    refund_responses: RefundResponseStats
    points_by_month: list[dict]
    low_value_item: Decimal
    advice: str | None


def _lost_and_paid(shop_id: int, now: datetime) -> dict[str, int]:
    """Lost disputes and paid orders over the last 30 and 90 days: two queries."""
    lost = Q(kind=PenaltyKind.DISPUTE_LOST, reversed_at__isnull=True)
    figures = PenaltyRecord.objects.filter(shop_id=shop_id).aggregate(
        lost_30=Count("pk", filter=lost & Q(created_at__gte=now - timedelta(days=30))),
        lost_90=Count("pk", filter=lost & Q(created_at__gte=now - timedelta(days=90))),
    )
    figures |= Order.objects.filter(
        shop_id=shop_id, paid_at__gte=now - timedelta(days=90)
    ).aggregate(
        paid_30=Count("pk", filter=Q(paid_at__gte=now - timedelta(days=30))),
        paid_90=Count("pk"),
    )
    return figures


def _rate(lost: int, paid: int) -> Decimal:
    return lost_dispute_rate(lost=lost, paid_orders=paid).quantize(Decimal("0.0001"))


def _hours(duration) -> float | None:
    return round(duration.total_seconds() / 3600, 1) if duration is not None else None


def _refund_responses(shop: Shop) -> RefundResponseStats:
    # Read through the reverse relation: penalties does not import disputes.
    answered = Q(responded_at__isnull=False)
    stats = shop.refunds.aggregate(
        answered=Count("pk", filter=answered),
        average=Avg(F("responded_at") - F("created_at"), filter=answered),
        auto_approved=Count("pk", filter=Q(auto_approved=True)),
    )
    # The median on any database: the middle one or two response times, in one query.
    count = stats["answered"]
    middle = (
        list(
            shop.refunds.filter(answered)
            .annotate(took=F("responded_at") - F("created_at"))
            .order_by("took")
            .values_list("took", flat=True)[(count - 1) // 2 : count // 2 + 1]
        )
        if count
        else []
    )
    median = sum(middle, timedelta()) / len(middle) if middle else None
    return RefundResponseStats(
        answered=count,
        average_response_hours=_hours(stats["average"]),
        auto_approved=stats["auto_approved"],
        median_response_hours=_hours(median),
    )


def merchant_dashboard(*, shop: Shop, now: datetime | None = None) -> Dashboard:
    """Everything the merchant's penalty dashboard shows, for one shop."""
    now = now or timezone.now()
    rules = get_rules()
    period = penalty_period(now)
    restriction = (
        Restriction.objects.filter(
            shop=shop, ended_at__isnull=True, starts_at__lte=now, ends_at__gt=now
        )
        .order_by("-ends_at")
        .first()
    )
    records = list(
        PenaltyRecord.objects.filter(shop=shop)
        .select_related("ruling", "ruling__intervention__refund__order", "ruling__appeal")
        .order_by("-created_at", "-id")
    )
    figures = _lost_and_paid(shop.pk, now)
    by_month = (
        PenaltyRecord.objects.filter(shop=shop, period=period, reversed_at__isnull=True)
        .annotate(month=TruncMonth("created_at"))
        .values("month")
        .annotate(points=Sum("points"))
        .order_by("month")
    )
    low_value_lost = any(
        r.kind == PenaltyKind.DISPUTE_LOST
        and r.counts
        and r.ruling.refund_amount is not None
        and r.ruling.refund_amount <= rules.low_value_item
        for r in records
    )
    advice = (
        f"For items of ¥{rules.low_value_item} or less, offering a refund without return "
        "(退款不退货) costs less than a lost platform intervention."
        if low_value_lost
        else None
    )
    return Dashboard(
        shop=shop,
        period=period,
        points=points_in_period(shop_id=shop.pk, period=period),
        threshold=rules.restriction_threshold,
        restriction=restriction,
        restricted_until=shop.restricted_until if shop.is_restricted(now) else None,
        records=records,
        lost_disputes_30_days=figures["lost_30"],
        lost_disputes_90_days=figures["lost_90"],
        paid_orders_90_days=figures["paid_90"],
        lost_dispute_rate_90_days=_rate(figures["lost_90"], figures["paid_90"]),
        seller_level=shop.seller_level,
        ranking_score=shop.ranking_score,
        paid_orders_30_days=figures["paid_30"],
        lost_dispute_rate_30_days=_rate(figures["lost_30"], figures["paid_30"]),
        refund_responses=_refund_responses(shop),
        points_by_month=[
            {"month": row["month"].date(), "points": row["points"]} for row in by_month
        ],
        low_value_item=rules.low_value_item,
        advice=advice,
    )
