"""Reads for refunds and interventions that respect who is asking, and what each party sees:
whose move it is, by when, and which actions the caller may take."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from core.fsm import available_actions
from core.roles import is_agent, is_supervisor
from disputes.models import (
    WHOSE_MOVE,
    Appeal,
    Intervention,
    InterventionState,
    Party,
    RefundRequest,
    RefundState,
    Ruling,
    RulingOutcome,
)
from merchants.selectors import shop_id_of


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
    """The buyer's own requests and the merchant's shop's; agents see all."""
    return _of_the_parties(
        RefundRequest.objects.select_related("order", "shop", "intervention"), user
    )


def interventions_visible_to(user) -> QuerySet[Intervention]:
    return _of_the_parties(
        Intervention.objects.select_related("refund", "shop", "refund__order"), user
    )


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


def refund_actions_for(refund: RefundRequest, user) -> list[str]:
    """The refund transitions `user` may run now; the intervention's evidence step included."""
    actions = available_actions(refund, user)
    if refund.state == RefundState.IN_INTERVENTION:
        case_state = refund.intervention.state
        if "rule" in actions and case_state != InterventionState.UNDER_REVIEW:
            actions.remove("rule")  # agents rule once the evidence window is over
        if "concede" in actions and case_state not in (
            InterventionState.AWAITING_EVIDENCE,
            InterventionState.UNDER_REVIEW,
        ):
            actions.remove("concede")
    return actions


def intervention_move(intervention: Intervention) -> Move:
    """Whose move it is on a case: the shop's evidence, then the agent's ruling, then an appeal."""
    if intervention.state == InterventionState.AWAITING_EVIDENCE:
        return refund_move(intervention.refund)
    if intervention.state in (InterventionState.UNDER_REVIEW, InterventionState.APPEALED):
        return Move(Party.PLATFORM, intervention.deadline)
    return Move(None, None)


def intervention_actions_for(intervention: Intervention, user, *, now=None) -> list[str]:
    """What `user` may do on the case now, by the names of the API's actions."""
    now = now or timezone.now()
    actions = []
    is_party = user.is_authenticated and (
        intervention.buyer_id == user.pk or shop_id_of(user) == intervention.shop_id
    )
    state = intervention.state
    if (
        state == InterventionState.AWAITING_EVIDENCE
        and is_party
        and now <= intervention.evidence_deadline
    ):
        actions.append("evidence")
    if state == InterventionState.UNDER_REVIEW and is_agent(user):
        actions.append("rule")
    ruling = getattr(intervention, "ruling", None)
    if (
        state == InterventionState.RULED
        and ruling is not None
        and shop_id_of(user) == intervention.shop_id
        and ruling.outcome != RulingOutcome.MERCHANT_WINS
        and now <= ruling.appeal_deadline
        and not Appeal.objects.filter(ruling=ruling).exists()
    ):
        actions.append("appeal")
    if state == InterventionState.APPEALED and is_supervisor(user):
        actions.append("decide")
    return actions


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
