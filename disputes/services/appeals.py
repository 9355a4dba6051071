"""The merchant appeals a ruling once; a supervisor upholds or overturns it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from core.errors import DomainError
from core.fsm import apply_transition
from core.images import deletes_its_files_on_failure
from core.notices import Labelled, notice
from disputes.errors import DisputeErrorCode
from disputes.models import Appeal, AppealDecision, Party, RefundPayment, Ruling
from disputes.policies import may_appeal, may_decide_appeal
from disputes.services.common import clean_text, lock_case, resolve_now
from disputes.services.evidence import store_evidence
from disputes.services.notifications import tell_buyer, tell_merchant
from disputes.services.settlement import reimburse_overturned
from penalties.services import penalties_reverse_for_ruling


@deletes_its_files_on_failure
def ruling_appeal(
    *, ruling: Ruling, actor, statement: str, images: Sequence = (), now: datetime | None = None
) -> Appeal:
    """The merchant appeals once, within the window, with new information."""
    now = resolve_now(now)
    statement = clean_text(
        statement, field="statement", required=True, label=_("The new information")
    )
    with transaction.atomic():
        _order, refund, intervention = lock_case(ruling.intervention_id)
        ruling = Ruling.objects.select_for_update().get(pk=ruling.pk)
        ruling.intervention = intervention  # the policy reads the locked rows
        may_appeal(ruling, actor, now=now).enforce()
        appeal = Appeal.objects.create(
            ruling=ruling, appellant=actor, statement=statement, created_at=now
        )
        apply_transition(intervention, "appeal", actor=actor, note=statement, at=now)
        store_evidence(
            refund=refund,
            intervention=intervention,
            appeal=appeal,
            party=Party.MERCHANT,
            actor=actor,
            images=images,
            now=now,
        )
        tell_buyer(
            refund,
            "appeal",
            notice(
                gettext_noop(
                    "The shop appealed the ruling on “%(goods)s” (order %(order)s): a platform "
                    "supervisor decides. Nothing for you to do meanwhile."
                )
            ),
            at=now,
        )
    return appeal


def appeal_decide(
    *, appeal: Appeal, actor, decision: str, note: str, now: datetime | None = None
) -> Appeal:
    """A supervisor upholds or overturns. Overturning reverses the penalty, removes the dispute
    case, lifts restrictions that no longer hold and reimburses the merchant; the buyer keeps
    the refund."""
    now = resolve_now(now)
    if decision not in AppealDecision.values:
        raise DomainError(DisputeErrorCode.DECISION_CHOICE, field="decision")
    note = clean_text(note, field="note", required=True, label=_("A note on the decision"))
    with transaction.atomic():
        ruling = Ruling.objects.get(pk=appeal.ruling_id)
        _order, refund, intervention = lock_case(ruling.intervention_id)
        ruling = Ruling.objects.select_for_update().get(pk=ruling.pk)
        appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
        ruling.intervention = intervention  # the policy reads the locked rows
        appeal.ruling = ruling
        may_decide_appeal(appeal, actor).enforce()
        apply_transition(
            intervention,
            "decide_appeal",
            actor=actor,
            note=notice(
                gettext_noop("%(decision)s: %(note)s"),
                decision=Labelled("disputes.appeal.decision", decision),
                note=note,
            ),
            at=now,
        )
        appeal.decision = decision
        appeal.decision_note = note
        appeal.decided_by = actor
        appeal.decided_at = now
        appeal.save(update_fields=["decision", "decision_note", "decided_by", "decided_at"])
        if decision == AppealDecision.OVERTURN:
            ruling.overturned_at = now
            ruling.save(update_fields=["overturned_at"])
            penalties_reverse_for_ruling(
                ruling=ruling,
                shop_id=refund.shop_id,
                actor=actor,
                now=now,
                note=f"Overturned on appeal #{appeal.pk}: {note}",
            )
            payment = RefundPayment.objects.filter(refund=refund).first()
            if payment is not None:
                reimburse_overturned(ruling, payment, now)
        message = notice(
            gettext_noop(
                "The appeal on “%(goods)s” (order %(order)s) was decided: %(decision)s. "
                "%(note)s The decision is final: nothing more to do."
            ),
            decision=Labelled.of(appeal, "decision"),
            note=note,
        )
        tell_merchant(refund, "appeal_decided", message, at=now)
        tell_buyer(refund, "appeal_decided", message, at=now)
    return appeal
