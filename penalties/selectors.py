"""Reads for the merchant's penalty dashboard (SPEC §6)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import cached_property

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from core.rules import get_rules
from merchants.models import SellerLevel, Shop
from orders.models import Order
from penalties.models import PenaltyKind, PenaltyRecord, Restriction
from penalties.services import lost_dispute_rate, penalty_period

# The columns of the dashboard's records and their rulings that the page and the API show.
RECORD_FIELDS = (
    "shop",
    "ruling",
    "kind",
    "points",
    "period",
    "created_at",
    "reversed_at",
    "reversal_note",
    "note",
)
RULING_FIELDS = (
    "intervention",
    "outcome",
    "refund_amount",
    "rationale",
    "created_at",
    "appeal_deadline",
    "overturned_at",
)


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
    now: datetime

    @cached_property
    def restriction(self) -> Restriction | None:
        """The restriction in force, read fresh when first asked for: the API shows it, the
        page does not (it shows the shop's `restricted_until`) and so runs no query for it."""
        return (
            Restriction.objects.filter(
                shop=self.shop, ended_at__isnull=True, starts_at__lte=self.now, ends_at__gt=self.now
            )
            .order_by("-ends_at")
            .first()
        )


def _paid_orders(shop_id: int, now: datetime) -> dict[str, int]:
    """The shop's paid orders over the last 30 and 90 days, in one query, kept for
    `DASHBOARD_CACHE_SECONDS`: a big shop's thousands of orders, for a rate that a minute
    does not change."""
    return cache.get_or_set(
        f"dashboard:paid-orders:{shop_id}",
        lambda: Order.objects.filter(
            shop_id=shop_id, paid_at__gte=now - timedelta(days=90)
        ).aggregate(
            paid_30=Count("pk", filter=Q(paid_at__gte=now - timedelta(days=30))),
            paid_90=Count("pk"),
        ),
        settings.DASHBOARD_CACHE_SECONDS,
    )


def _lost_since(records: list[PenaltyRecord], since: datetime) -> int:
    return sum(
        1
        for r in records
        if r.kind == PenaltyKind.DISPUTE_LOST and r.counts and r.created_at >= since
    )


def _points_by_month(records: list[PenaltyRecord], period: int) -> list[dict]:
    """The period's standing points month by month (in the current time zone), oldest first."""
    by_month: dict[date, int] = {}
    for r in records:
        if r.period == period and r.counts:
            month = timezone.localtime(r.created_at).date().replace(day=1)
            by_month[month] = by_month.get(month, 0) + r.points
    return [{"month": month, "points": by_month[month]} for month in sorted(by_month)]


def _rate(lost: int, paid: int) -> Decimal:
    return lost_dispute_rate(lost=lost, paid_orders=paid).quantize(Decimal("0.0001"))


def merchant_dashboard(
    *, shop: Shop, refund_responses: RefundResponseStats, now: datetime | None = None
) -> Dashboard:
    """Everything the merchant's penalty dashboard shows, for one shop. The figures of the
    dispute side come from above (`disputes.selectors.refund_response_stats`): penalties
    stands below disputes and does not read its tables."""
    now = now or timezone.now()
    rules = get_rules()
    period = penalty_period(now)
    # Of the intervention only what `may_appeal` reads and the refund's id; the order's number
    # by a join (`order_number`), not the refund and the order built as rows for it.
    records = list(
        PenaltyRecord.objects.filter(shop=shop)
        .select_related("ruling__intervention", "ruling__appeal")
        .only(
            *RECORD_FIELDS,
            *(f"ruling__{f}" for f in RULING_FIELDS),
            "ruling__intervention__state",
            "ruling__intervention__shop",
            "ruling__intervention__refund",
            "ruling__appeal__decision",
        )
        .annotate(order_number=F("ruling__intervention__refund__order__number"))
        .order_by("-created_at", "-id")
    )
    # Every record of the shop is on the page anyway: the counts come from them, not from
    # more queries.
    lost_30 = _lost_since(records, now - timedelta(days=30))
    lost_90 = _lost_since(records, now - timedelta(days=90))
    paid = _paid_orders(shop.pk, now)
    low_value_lost = any(
        r.kind == PenaltyKind.DISPUTE_LOST
        and r.counts
        and r.ruling.refund_amount is not None
        and r.ruling.refund_amount <= rules.low_value_item
        for r in records
    )
    advice = (
        format_lazy(
            _(
                "For items of ¥{amount} or less, offering a refund without return costs less "
                "than a lost platform intervention."
            ),
            amount=rules.low_value_item,
        )
        if low_value_lost
        else None
    )
    points_by_month = _points_by_month(records, period)
    return Dashboard(
        shop=shop,
        period=period,
        # The period's standing points are those of its months, read from the records in hand
        # (services.points_in_period sums the same rows in one more query).
        points=sum(row["points"] for row in points_by_month),
        threshold=rules.restriction_threshold,
        restricted_until=shop.restricted_until if shop.is_restricted(now) else None,
        records=records,
        lost_disputes_30_days=lost_30,
        lost_disputes_90_days=lost_90,
        paid_orders_90_days=paid["paid_90"],
        lost_dispute_rate_90_days=_rate(lost_90, paid["paid_90"]),
        seller_level=SellerLevel(shop.seller_level),
        ranking_score=shop.ranking_score,
        paid_orders_30_days=paid["paid_30"],
        lost_dispute_rate_30_days=_rate(lost_30, paid["paid_30"]),
        refund_responses=refund_responses,
        points_by_month=points_by_month,
        low_value_item=rules.low_value_item,
        advice=advice,
        now=now,
    )
