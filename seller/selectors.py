"""Reads for the seller center's pages: the after-sales queue of one shop, sorted by deadline,
its orders to ship, its rulings, and the penalty dashboard's cases grouped by ruling.

Everything here is scoped to one shop; the pages fetch the shop from the signed-in user."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import (
    BooleanField,
    Case,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)

from core.rules import get_rules
from disputes.models import (
    OPEN_REFUND_STATES,
    Appeal,
    InterventionState,
    RefundRequest,
    RefundState,
    Ruling,
)
from disputes.policies import Verdict, may_appeal
from orders.models import Order, OrderItem, OrderState
from penalties.models import PenaltyRecord
from penalties.services import penalty_period, points_in_period

R = RefundState

# The refund is waiting for the shop: a new request, a returned parcel to confirm, or the
# shop's evidence while the platform's evidence window is open.
SHOP_MUST_ACT = Q(state__in=[R.REQUESTED, R.RETURN_SHIPPED]) | Q(
    state=R.IN_INTERVENTION,
    intervention__state=InterventionState.AWAITING_EVIDENCE,
    intervention__merchant_submitted_at__isnull=True,
)


def shop_refunds(shop_id: int) -> QuerySet[RefundRequest]:
    """Every after-sales request of the shop, with what its pages show."""
    return RefundRequest.objects.filter(shop_id=shop_id).select_related(
        "order", "intervention", "intervention__ruling", "intervention__ruling__appeal"
    )


def seller_queue(*, shop_id: int) -> QuerySet[RefundRequest]:
    """The shop's open requests, those waiting for the shop first, each group by its deadline
    (the soonest first, overdue ones at the top). Annotated with `due`, `shop_must_act` and
    `first_item` (the title of the order's first item); only the columns the queue shows."""
    first_item = OrderItem.objects.filter(order_id=OuterRef("order_id")).order_by("pk")
    return (
        RefundRequest.objects.filter(shop_id=shop_id, state__in=OPEN_REFUND_STATES)
        .select_related("order")
        .only("order__number", "kind", "reason", "amount", "state")
        .annotate(
            shop_must_act=Case(
                When(SHOP_MUST_ACT, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
            due=Case(
                When(
                    state=R.IN_INTERVENTION,
                    intervention__state=InterventionState.AWAITING_EVIDENCE,
                    then=F("intervention__evidence_deadline"),
                ),
                When(state=R.IN_INTERVENTION, then=F("intervention__ruling_deadline")),
                default=F("deadline"),
            ),
            first_item=Subquery(first_item.values("title")[:1]),
        )
        .order_by("-shop_must_act", F("due").asc(nulls_last=True), "pk")
    )


def is_overdue(due: datetime | None, now: datetime) -> bool:
    return due is not None and due < now


def is_low_value(refund: RefundRequest) -> bool:
    """The seed's advice applies: an order worth no more than the `low_value_item` rule costs
    the shop less refunded without return than lost in a platform intervention."""
    return refund.order.total <= get_rules().low_value_item


@dataclass(frozen=True)
class PenaltyCase:
    """One ruling against the shop on its penalty dashboard, with the records it wrote; or a
    supervisor's points adjustment (no ruling, nothing to appeal; `note` says why)."""

    ruling: Ruling | None
    records: list[PenaltyRecord]
    points: int
    counts: bool  # not reversed on appeal
    appeal: Appeal | None
    may_appeal: Verdict | None
    note: str = ""


def penalty_cases(records: list[PenaltyRecord], user, *, now: datetime) -> list[PenaltyCase]:
    """Group a shop's penalty records by ruling, newest first, with whether `user` may appeal
    each ruling now (and why not): `disputes.policies.may_appeal`. Expects the records with
    their ruling, intervention and appeal selected (penalties.selectors.merchant_dashboard)."""
    by_ruling: dict[tuple[str, int], list[PenaltyRecord]] = {}
    for record in records:
        if record.ruling_id is None:  # an adjustment stands alone
            by_ruling[("adjustment", record.pk)] = [record]
        else:
            by_ruling.setdefault(("ruling", record.ruling_id), []).append(record)
    cases = []
    for group in by_ruling.values():
        ruling = group[0].ruling
        if ruling is None:
            cases.append(
                PenaltyCase(
                    ruling=None,
                    records=group,
                    points=group[0].points,
                    counts=group[0].counts,
                    appeal=None,
                    may_appeal=None,
                    note=group[0].note,
                )
            )
            continue
        cases.append(
            PenaltyCase(
                ruling=ruling,
                records=group,
                points=sum(r.points for r in group),
                counts=any(r.counts for r in group),
                appeal=getattr(ruling, "appeal", None),
                may_appeal=may_appeal(ruling, user, now=now),
            )
        )
    return cases


@dataclass(frozen=True)
class ShopCounts:
    """What the shop has to do now, for a merchant's personal center."""

    to_answer: int  # requests waiting for the shop (SHOP_MUST_ACT)
    to_ship: int
    points: int  # this penalty period's
    threshold: int


def shop_counts(*, shop_id: int, now: datetime) -> ShopCounts:
    return ShopCounts(
        to_answer=RefundRequest.objects.filter(
            SHOP_MUST_ACT, shop_id=shop_id, state__in=OPEN_REFUND_STATES
        ).count(),
        to_ship=Order.objects.filter(shop_id=shop_id, state=OrderState.PAID).count(),
        points=points_in_period(shop_id=shop_id, period=penalty_period(now)),
        threshold=get_rules().restriction_threshold,
    )


def orders_to_ship(*, shop_id: int) -> QuerySet[Order]:
    """The shop's paid orders waiting for a tracking number, the longest-waiting first."""
    return (
        Order.objects.filter(shop_id=shop_id, state=OrderState.PAID)
        .select_related("buyer")
        .prefetch_related(Prefetch("items", queryset=OrderItem.objects.order_by("pk")))
        .order_by("paid_at", "pk")
    )


def shop_rulings(*, shop_id: int) -> QuerySet[Ruling]:
    """The rulings on the shop's cases, with what the appeal page shows."""
    return Ruling.objects.filter(intervention__shop_id=shop_id).select_related(
        "intervention__refund__order", "appeal"
    )
