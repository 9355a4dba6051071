"""Reads for refunds and interventions that respect who is asking, and what each party sees:
whose move it is and by when (which actions the caller may take is the policies' answer:
`disputes.policies.refund_actions`, `intervention_actions`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db.models import Avg, Count, Exists, F, OuterRef, Prefetch, Q, QuerySet

from core.models import AuditEntry
from core.roles import is_agent
from disputes.models import (
    MESSAGE_ACTION,
    OPEN_REFUND_STATES,
    WHOSE_MOVE,
    Appeal,
    Evidence,
    Intervention,
    InterventionState,
    Message,
    MessageImage,
    Party,
    RefundKind,
    RefundOffer,
    RefundRequest,
    RefundState,
    RefundStep,
    Ruling,
)
from merchants.models import ReturnAddress
from merchants.selectors import shop_id_of
from orders.models import OrderItem
from penalties.selectors import RefundResponseStats


def _of_the_parties(qs: QuerySet, user) -> QuerySet:
    """Rows where the user is the buyer or works for the shop; agents see every row."""
    if not user.is_authenticated:
        return qs.none()
    if is_agent(user):
        return qs
    condition = Q(buyer=user)
    shop_id = shop_id_of(user)
    if shop_id is not None:
        condition |= Q(shop_id=shop_id)
    return qs.filter(condition)


def refunds_visible_to(user) -> QuerySet[RefundRequest]:
    """The buyer's own requests and the merchant's shop's; agents see all. Annotated with
    `shop_has_return_address`, which the policies read to offer approving a return, so that a
    list's rows ask no query each."""
    return _of_the_parties(
        RefundRequest.objects.select_related("order", "shop", "intervention").annotate(
            shop_has_return_address=Exists(
                ReturnAddress.objects.filter(shop_id=OuterRef("shop_id"), is_default=True)
            )
        ),
        user,
    )


def interventions_visible_to(user) -> QuerySet[Intervention]:
    return _of_the_parties(
        Intervention.objects.select_related("refund", "shop", "refund__order"), user
    )


def evidence_visible_to(user) -> QuerySet[Evidence]:
    """Evidence files are private to the two parties of the case and platform staff."""
    return Evidence.objects.filter(refund__in=refunds_visible_to(user).values("pk"))


def refunds_in_conversation(user) -> QuerySet[RefundRequest]:
    """The requests whose messages `user` reads: the parties' own, and for a platform agent
    the escalated ones (the policies' `message_side`)."""
    if not user.is_authenticated:
        return RefundRequest.objects.none()
    condition = Q(buyer=user)
    shop_id = shop_id_of(user)
    if shop_id is not None:
        condition |= Q(shop_id=shop_id)
    if is_agent(user):
        condition |= Q(escalated_at__isnull=False)
    return RefundRequest.objects.filter(condition)


def message_images_visible_to(user) -> QuerySet[MessageImage]:
    """A message's photos are private, as evidence is, to those who read the messages."""
    return MessageImage.objects.filter(
        message__refund__in=refunds_in_conversation(user).values("pk")
    )


def refund_messages(refund: RefundRequest) -> QuerySet[Message]:
    """The request's messages (协商记录), oldest first, each with its photos: two queries
    however many there are."""
    return (
        Message.objects.filter(refund=refund)
        .order_by("created_at", "id")
        .prefetch_related("images")
    )


@dataclass(frozen=True)
class HistoryItem:
    """One line of 协商历史: a step of the audit trail, or a message; `at` orders them."""

    at: datetime
    entry: AuditEntry | None = None
    message: Message | None = None


def negotiation_history(refund: RefundRequest) -> list[HistoryItem]:
    """协商历史 as the parties read it: the request's steps and its messages, oldest first
    (a message's own audit entry is the message itself, shown once, with its photos)."""
    steps = [
        HistoryItem(at=entry.created_at, entry=entry)
        for entry in case_timeline(refund)
        if entry.action != MESSAGE_ACTION
    ]
    said = [HistoryItem(at=m.created_at, message=m) for m in refund_messages(refund)]
    # A step before a message written at the same moment: the state it answers came first.
    return sorted([*steps, *said], key=lambda item: (item.at, item.message is not None))


def rulings_visible_to(user) -> QuerySet[Ruling]:
    return Ruling.objects.filter(intervention__in=interventions_visible_to(user))


@dataclass(frozen=True)
class Move:
    """Whose move it is on a refund and by when (None when nobody has to act)."""

    whose: str | None
    deadline: datetime | None


def refund_move(refund: RefundRequest) -> Move:
    if refund.state in WHOSE_MOVE:
        return Move(WHOSE_MOVE[refund.state], refund.deadline)
    if refund.state == RefundState.IN_INTERVENTION:
        intervention = refund.intervention
        if intervention.state == InterventionState.AWAITING_EVIDENCE:
            waiting = (
                Party.MERCHANT if intervention.merchant_submitted_at is None else Party.PLATFORM
            )
            return Move(waiting, intervention.evidence_deadline)
        return Move(Party.PLATFORM, intervention.deadline)
    return Move(None, None)


def intervention_move(intervention: Intervention) -> Move:
    """Whose move it is on a case: the shop's evidence, then the agent's ruling, then an appeal."""
    if intervention.state == InterventionState.AWAITING_EVIDENCE:
        return refund_move(intervention.refund)
    if intervention.state in (InterventionState.UNDER_REVIEW, InterventionState.APPEALED):
        return Move(Party.PLATFORM, intervention.deadline)
    return Move(None, None)


@dataclass(frozen=True)
class Step:
    """One step of 售后详情's progress bar: `status` is done, current or upcoming; `at` is when
    it was reached, where the request keeps that moment."""

    step: str
    status: str
    at: datetime | None = None

    @property
    def label(self) -> str:
        return RefundStep(self.step).label

    @property
    def is_end(self) -> bool:
        """The request's story ended here short of a refund (cancelled or closed)."""
        return self.step in (RefundStep.CANCELLED, RefundStep.CLOSED)


_ENDS = {
    RefundState.REFUNDED: RefundStep.REFUNDED,
    RefundState.CANCELLED: RefundStep.CANCELLED,
    RefundState.CLOSED: RefundStep.CLOSED,
}


def refund_steps(refund: RefundRequest) -> list[Step]:
    """申请 → 商家处理 → (平台介入) → (退货) → 退款成功, with the step the request is at.

    退货 is a step once a return was agreed, and ahead while a 退货退款 request waits for the
    shop; 平台介入 once the buyer escalated (before the return when the platform ordered it).
    A request that ended without a refund ends at 已撤销 or 售后已关闭 after the steps it
    reached, not at a 退款成功 it never got to (and one withdrawn before the shop answered, right
    after 申请)."""
    state = refund.state
    returned = refund.has_return_address or state in (
        RefundState.AWAITING_RETURN,
        RefundState.RETURN_SHIPPED,
    )
    return_ahead = (
        refund.kind == RefundKind.RETURN_AND_REFUND
        and not refund.is_final
        and refund.escalated_at is None
    )
    path = [RefundStep.FILED]
    if not (
        state == RefundState.CANCELLED and refund.responded_at is None and not refund.auto_approved
    ):
        path.append(RefundStep.SHOP)  # withdrawn before the shop answered: it handled nothing
    if returned and not refund.platform_ordered_return:
        path.append(RefundStep.RETURN)  # agreed by the shop, before any escalation
    if refund.escalated_at is not None:
        path.append(RefundStep.PLATFORM)
    if (returned and refund.platform_ordered_return) or (return_ahead and not returned):
        path.append(RefundStep.RETURN)
    path.append(_ENDS.get(state, RefundStep.REFUNDED))
    if state in _ENDS:
        current = len(path) - 1
    elif state == RefundState.IN_INTERVENTION:
        current = path.index(RefundStep.PLATFORM)
    elif state in (RefundState.AWAITING_RETURN, RefundState.RETURN_SHIPPED):
        current = path.index(RefundStep.RETURN)
    else:  # with the shop: 商家处理, or the last step it had reached before it came back there
        current = path.index(RefundStep.RETURN if returned else RefundStep.SHOP)
    moments = {
        RefundStep.FILED: refund.created_at,
        RefundStep.SHOP: refund.responded_at,
        RefundStep.PLATFORM: refund.escalated_at,
        path[-1]: refund.closed_at,
    }
    return [
        Step(
            step=step,
            status="done" if n < current else "current" if n == current else "upcoming",
            at=moments.get(step) if n <= current else None,
        )
        for n, step in enumerate(path)
    ]


@dataclass(frozen=True)
class BuyerHistory:
    refunds_filed: int
    interventions_won: int
    interventions_lost: int


def buyer_history(buyer_id: int) -> BuyerHistory:
    """What an agent sees of a buyer, so that refund abuse is visible."""
    refunds = RefundRequest.objects.filter(buyer_id=buyer_id).count()
    rulings = Ruling.objects.filter(intervention__buyer_id=buyer_id).aggregate(
        lost=Count("pk", filter=Q(outcome="merchant_wins")),
        total=Count("pk"),
    )
    return BuyerHistory(
        refunds_filed=refunds,
        interventions_won=rulings["total"] - rulings["lost"],
        interventions_lost=rulings["lost"],
    )


def appeals_visible_to(user) -> QuerySet[Appeal]:
    """Appeals on the rulings the user can see (the parties, and agents and supervisors)."""
    return Appeal.objects.filter(ruling__in=rulings_visible_to(user)).select_related("ruling")


def buyer_refunds(user) -> QuerySet[RefundRequest]:
    """The user's own after-sales requests as the buyer (never the shop's), newest first."""
    if not user.is_authenticated:
        return RefundRequest.objects.none()
    return (
        RefundRequest.objects.filter(buyer=user)
        .select_related("order", "shop")
        .order_by("-created_at", "-id")
    )


def buyer_refund_list(user) -> QuerySet[RefundRequest]:
    """`buyer_refunds` as 退款/售后 lists them: only the columns the list prints, and the
    order's items (`order.item_list`) in one more query however many rows a page has."""
    return (
        buyer_refunds(user)
        .only(
            "kind",
            "amount",
            "state",
            "created_at",
            "shop__name",
            "order__number",
        )
        .prefetch_related(
            Prefetch(
                "order__items",
                OrderItem.objects.only("order_id", "title", "quantity").order_by("pk"),
                "item_list",
            )
        )
    )


def buyer_open_refunds(user) -> QuerySet[RefundRequest]:
    return buyer_refunds(user).filter(state__in=OPEN_REFUND_STATES)


def buyer_interventions(user) -> QuerySet[Intervention]:
    """The cases on the user's own requests as the buyer (never the shop's)."""
    if not user.is_authenticated:
        return Intervention.objects.none()
    return Intervention.objects.filter(buyer=user).select_related(
        "refund", "refund__order", "shop", "ruling"
    )


def case_timeline(refund: RefundRequest, *, with_actors: bool = False) -> list[AuditEntry]:
    """协商历史: the audit trail of the request and of its intervention, oldest first, in one
    query (the order's own steps are on the order page). The parties' pages show each step's
    role, not who took it: only the agents' console asks for the actors (`with_actors`)."""
    targets = Q(target_type=ContentType.objects.get_for_model(RefundRequest), target_id=refund.pk)
    intervention = getattr(refund, "intervention", None)
    if intervention is not None:
        targets |= Q(
            target_type=ContentType.objects.get_for_model(Intervention), target_id=intervention.pk
        )
    entries = AuditEntry.objects.filter(targets).order_by("created_at", "id")
    if with_actors:
        entries = entries.select_related("actor")
    else:
        # to_state: an action's words may depend on the state it led to (商家同意退货).
        entries = entries.only(
            "action", "to_state", "actor_role", "note", "note_params", "created_at"
        )
    return list(entries)


def refund_offers(refund: RefundRequest) -> QuerySet[RefundOffer]:
    """Every negotiation offer the shop made on the request, oldest first (the last one is the
    open offer while the request is `offered`)."""
    return RefundOffer.objects.filter(refund=refund).order_by("created_at", "id")


def case_evidence(refund: RefundRequest):
    """Every image given on the request and its case, oldest first."""
    return Evidence.objects.filter(refund=refund).order_by("created_at", "id")


def _hours(duration: timedelta | None) -> float | None:
    return round(duration.total_seconds() / 3600, 1) if duration is not None else None


def refund_response_stats(*, shop_id: int) -> RefundResponseStats:
    """How the shop answers after-sales requests, for its penalty dashboard: two queries over
    all its requests, kept for `DASHBOARD_CACHE_SECONDS`."""
    return cache.get_or_set(
        f"dashboard:refund-responses:{shop_id}",
        lambda: _refund_response_stats(shop_id),
        settings.DASHBOARD_CACHE_SECONDS,
    )


def _refund_response_stats(shop_id: int) -> RefundResponseStats:
    refunds = RefundRequest.objects.filter(shop_id=shop_id)
    answered = Q(responded_at__isnull=False)
    stats = refunds.aggregate(
        answered=Count("pk", filter=answered),
        average=Avg(F("responded_at") - F("created_at"), filter=answered),
        auto_approved=Count("pk", filter=Q(auto_approved=True)),
    )
    # The median on any database: the middle one or two response times, in one query.
    count = stats["answered"]
    middle = (
        list(
            refunds.filter(answered)
            .annotate(took=F("responded_at") - F("created_at"))
            .order_by("took")
            .values_list("took", flat=True)[(count - 1) // 2 : count // 2 + 1]
        )
        if count
        else []
    )
    return RefundResponseStats(
        answered=count,
        average_response_hours=_hours(stats["average"]),
        auto_approved=stats["auto_approved"],
        median_response_hours=_hours(sum(middle, timedelta()) / len(middle) if middle else None),
    )
