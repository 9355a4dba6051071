"""Platform intervention: the buyer escalates, an agent takes the case and rules, or the merchant
concedes before the ruling."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from core.errors import DomainError
from core.fsm import apply_transition
from core.images import deletes_its_files_on_failure
from core.notices import Labelled, Notice, notice
from core.rules import get_rules
from core.services import audit_record
from disputes.errors import DisputeErrorCode
from disputes.models import Intervention, Party, RefundRequest, RefundState, Ruling, RulingOutcome
from disputes.policies import may_act_on_refund, may_assign, may_refund_partially, may_rule
from disputes.services.common import (
    clean_text,
    lock_case,
    lock_refund,
    parse_amount,
    resolve_now,
)
from disputes.services.evidence import store_evidence
from disputes.services.notifications import tell_buyer, tell_merchant
from disputes.services.returns import refund_snapshot_return_address
from disputes.services.settlement import settle_if_refunded
from penalties.services import penalty_record_for_ruling


@deletes_its_files_on_failure
def refund_escalate(
    *,
    refund: RefundRequest,
    actor,
    statement: str,
    images: Sequence = (),
    now: datetime | None = None,
) -> Intervention:
    """申请平台介入: only a rejected request, once, within the window. Opens the intervention;
    the buyer's statement and images are the buyer's evidence."""
    now = resolve_now(now)
    rules = get_rules()
    statement = clean_text(statement, field="statement", required=True, label=_("Your statement"))
    with transaction.atomic():
        _order, refund = lock_refund(refund.pk)
        may_act_on_refund(refund, actor, "escalate", now=now).enforce()
        apply_transition(refund, "escalate", actor=actor, note=statement, now=now)
        intervention = Intervention.objects.create(
            refund=refund,
            shop_id=refund.shop_id,
            buyer_id=refund.buyer_id,
            buyer_statement=statement,
            buyer_submitted_at=now,
            opened_at=now,
            evidence_deadline=now + rules.evidence_window,
        )
        audit_record(
            target=intervention,
            action="open",
            actor=actor,
            to_state=intervention.state,
            note=statement,
            at=now,
        )
        store_evidence(
            refund=refund,
            intervention=intervention,
            party=Party.BUYER,
            actor=actor,
            images=images,
            now=now,
        )
        deadline = intervention.evidence_deadline
        tell_merchant(
            refund,
            "intervention_opened",
            notice(
                gettext_noop(
                    "The buyer asked the platform to step in on “%(goods)s” (order %(order)s): "
                    "give your statement and evidence by %(deadline)s, or the case is decided "
                    "without them. You may also refund in full instead."
                ),
                deadline=deadline,
            ),
            at=now,
        )
        tell_buyer(
            refund,
            "intervention_opened",
            notice(
                gettext_noop(
                    "The platform is stepping in on “%(goods)s” (order %(order)s). The shop has "
                    "until %(deadline)s to give its evidence; you may add yours and write to the "
                    "platform on the request page meanwhile."
                ),
                deadline=deadline,
            ),
            at=now,
        )
    return intervention


def intervention_assign(
    *, intervention: Intervention, actor, agent, now: datetime | None = None
) -> Intervention:
    """An agent takes a case, or a supervisor hands it to an agent. Audited with the assignee
    before and after; giving the case to the agent who has it already changes nothing."""
    now = resolve_now(now)
    with transaction.atomic():
        _order, _refund, intervention = lock_case(intervention.pk)
        may_assign(intervention, actor, agent).enforce()
        before = intervention.assigned_agent_id
        if before == agent.pk:
            return intervention
        intervention.assigned_agent = agent
        intervention.save(update_fields=["assigned_agent"])
        audit_record(
            target=intervention,
            action="assign",
            actor=actor,
            changes={"assigned_agent": [before, agent.pk]},
            at=now,
        )
    return intervention


def merchant_cooperated_default(intervention: Intervention) -> bool:
    """The merchant cooperated if it answered the refund itself (no auto-approval) and gave
    its evidence to the platform."""
    refund = intervention.refund
    return bool(
        refund.responded_at and not refund.auto_approved and intervention.merchant_submitted_at
    )


def intervention_rule(
    *,
    intervention: Intervention,
    actor,
    outcome: str,
    rationale: str,
    merchant_responsible: bool,
    merchant_cooperated: bool | None = None,
    return_required: bool = False,
    refund_amount: Decimal | None = None,
    penalty_points: int | None = None,
    agent_note: str = "",
    now: datetime | None = None,
) -> Ruling:
    """The agent's ruling. In one transaction: the ruling, the refund's move (with its refund
    payment), and, when the merchant is responsible, the penalty, credit and any restriction."""
    now = resolve_now(now)
    rules = get_rules()
    rationale = clean_text(rationale, field="rationale", required=True, label=_("The rationale"))
    if outcome not in RulingOutcome.values:
        raise DomainError(DisputeErrorCode.OUTCOME_CHOICE, field="outcome")
    if outcome == RulingOutcome.MERCHANT_WINS:
        if merchant_responsible:
            raise DomainError(DisputeErrorCode.WINNER_NOT_RESPONSIBLE, field="merchant_responsible")
        if return_required:
            raise DomainError(DisputeErrorCode.WINNER_RETURNS_NOTHING, field="return_required")
    if merchant_responsible:
        points = rules.dispute_lost_points if penalty_points is None else int(penalty_points)
        if not rules.dispute_lost_points_min <= points <= rules.dispute_lost_points_max:
            raise DomainError(
                DisputeErrorCode.PENALTY_POINTS_RANGE,
                {"min": rules.dispute_lost_points_min, "max": rules.dispute_lost_points_max},
                field="penalty_points",
            )
    elif penalty_points:
        raise DomainError(DisputeErrorCode.PENALTY_POINTS_NOT_RESPONSIBLE, field="penalty_points")
    else:
        points = 0
    with transaction.atomic():
        order, refund, intervention = lock_case(intervention.pk)
        may_rule(intervention, actor).enforce()
        if outcome == RulingOutcome.BUYER_FULL_REFUND:
            amount = refund.amount
        elif outcome == RulingOutcome.BUYER_PARTIAL_REFUND:
            amount = parse_amount(refund_amount, field="refund_amount")
            may_refund_partially(refund, amount).enforce()
        else:
            amount = None
        if merchant_cooperated is None:
            merchant_cooperated = merchant_cooperated_default(intervention)
        target = (
            RefundState.CLOSED
            if amount is None
            else RefundState.AWAITING_RETURN
            if return_required
            else RefundState.REFUNDED
        )
        outcome_words = Labelled("disputes.ruling.outcome", outcome)
        apply_transition(
            intervention,
            "rule",
            actor=actor,
            note=notice(gettext_noop("Ruling: %(outcome)s"), outcome=outcome_words),
            now=now,
            agent=actor,
        )
        if agent_note:
            intervention.agent_note = agent_note
            intervention.save(update_fields=["agent_note"])
        try:
            with transaction.atomic():
                ruling = Ruling.objects.create(
                    intervention=intervention,
                    agent=actor,
                    outcome=outcome,
                    refund_amount=amount,
                    return_required=return_required,
                    merchant_responsible=merchant_responsible,
                    merchant_cooperated=merchant_cooperated,
                    penalty_points=points,
                    rationale=rationale,
                    created_at=now,
                    appeal_deadline=now + rules.appeal_window,
                )
        except IntegrityError as exc:
            raise DomainError(DisputeErrorCode.ALREADY_RULED, state="ruled") from exc
        apply_transition(
            refund,
            "rule",
            actor=actor,
            note=notice(
                gettext_noop("Ruling #%(ruling)s: %(outcome)s"),
                ruling=ruling.pk,
                outcome=outcome_words,
            ),
            now=now,
            amount=amount,
            target=target,
            return_deadline=now + rules.buyer_return_ship_window,
        )
        if refund.state == RefundState.AWAITING_RETURN:
            refund_snapshot_return_address(refund)
        settle_if_refunded(order, refund, now)
        penalty_record_for_ruling(ruling=ruling, shop_id=refund.shop_id, now=now)
        tell_buyer(refund, "ruling", _ruling_for_buyer(refund, ruling), at=now)
        tell_merchant(refund, "ruling", _ruling_for_merchant(ruling), at=now)
    return ruling


def refund_concede(*, refund: RefundRequest, actor, now: datetime | None = None) -> RefundRequest:
    """Before the ruling, the merchant gives the full refund: the case closes with no penalty."""
    now = resolve_now(now)
    with transaction.atomic():
        order, refund = lock_refund(refund.pk)
        intervention = Intervention.objects.select_for_update().filter(refund=refund).first()
        if intervention is not None:
            refund.intervention = intervention  # the policy reads the locked row
        may_act_on_refund(refund, actor, "concede", now=now).enforce()
        apply_transition(refund, "concede", actor=actor, now=now)
        apply_transition(intervention, "resolve_by_merchant", actor=actor, now=now)
        settle_if_refunded(order, refund, now)
    return refund


def _ruling_for_buyer(refund: RefundRequest, ruling: Ruling) -> Notice:
    outcome = Labelled.of(ruling, "outcome")
    if refund.state == RefundState.AWAITING_RETURN:
        return notice(
            gettext_noop(
                "The platform ruled on “%(goods)s” (order %(order)s): %(outcome)s. "
                "%(rationale)s Send the goods back and enter the tracking number by "
                "%(deadline)s to be refunded."
            ),
            outcome=outcome,
            rationale=ruling.rationale,
            deadline=refund.deadline,
        )
    return notice(
        gettext_noop(
            "The platform ruled on “%(goods)s” (order %(order)s): %(outcome)s. %(rationale)s "
            "Nothing more for you to do."
        ),
        outcome=outcome,
        rationale=ruling.rationale,
    )


def _ruling_for_merchant(ruling: Ruling) -> Notice:
    outcome = Labelled.of(ruling, "outcome")
    if ruling.outcome == RulingOutcome.MERCHANT_WINS:
        return notice(
            gettext_noop(
                "The platform ruled on “%(goods)s” (order %(order)s): %(outcome)s. "
                "%(rationale)s Nothing more for you to do."
            ),
            outcome=outcome,
            rationale=ruling.rationale,
        )
    return notice(
        gettext_noop(
            "The platform ruled on “%(goods)s” (order %(order)s): %(outcome)s. %(rationale)s "
            "You may appeal once, with new information, by %(deadline)s."
        ),
        outcome=outcome,
        rationale=ruling.rationale,
        deadline=ruling.appeal_deadline,
    )
