"""The deadline sweep: every automatic transition that is due, applied in batches.

Each batch takes its rows with `SELECT … FOR UPDATE SKIP LOCKED` (the order's row too where
the move touches the order), so several sweeps can run side by side and skip what another holds;
a crashed sweep is simply run again. Rows are never waited on, so the sweep cannot deadlock with
a user's action. A row whose move fails is logged and left for the next run.

Every move runs through the state machine (`core.fsm.apply_transition`), row by row in memory.
The moves that only change the row itself (auto-close, the end of an evidence window, an
order's auto-confirmation) are then written together: one UPDATE per transition for the batch,
and its audit entries and notifications in one INSERT each. Moves that pay money go to the
gateway and touch other rows, so they save row by row.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet

from core.errors import DomainError
from core.services import batched_records
from disputes import services
from disputes.models import (
    OPEN_REFUND_STATES,
    Intervention,
    InterventionState,
    RefundRequest,
    RefundState,
)
from orders.models import Order, OrderState
from orders.selectors import goods_prefetch
from orders.services import order_auto_confirm
from penalties.models import Restriction
from penalties.services import restriction_end

logger = logging.getLogger(__name__)
BATCH_SIZE = 500


def _sweep(
    due: Callable[[], QuerySet],
    apply: Callable[[object], None],
    *,
    of: tuple[str, ...],
    batch_size: int,
    batched_saves: bool = False,
) -> int:
    done, failed = 0, set()
    while True:
        with transaction.atomic():
            locked = due().exclude(pk__in=failed).order_by("pk")
            rows = list(locked.select_for_update(skip_locked=True, of=of)[:batch_size])
            try:
                # One savepoint for the batch, its audit entries and notifications written
                # in one statement each: the common case.
                with transaction.atomic(), batched_records(saves=batched_saves):
                    for row in rows:
                        apply(row)
                done += len(rows)
            except DomainError:
                # Redo the batch row by row (its locks are still held) and set the bad rows aside.
                for row in locked.filter(pk__in=[r.pk for r in rows]):
                    try:
                        with transaction.atomic():
                            apply(row)
                        done += 1
                    except DomainError:
                        logger.exception("deadline move failed for %r", row)
                        failed.add(row.pk)
        if len(rows) < batch_size:
            return done


def enforce_deadlines(*, now: datetime, batch_size: int = BATCH_SIZE) -> dict[str, int]:
    """Apply every automatic transition due at `now`; returns how many of each were applied."""

    def refunds(state: str | list[str]) -> Callable[[], QuerySet]:
        states = [state] if isinstance(state, str) else state
        # The goods every notice names, fetched for the whole batch.
        return lambda: (
            RefundRequest.objects.select_related("order", "buyer")
            .prefetch_related(goods_prefetch("order"))
            .filter(state__in=states, deadline__lte=now)
        )

    open_refund = RefundRequest.objects.filter(order=OuterRef("pk"), state__in=OPEN_REFUND_STATES)
    return {
        "refunds_auto_approved": _sweep(
            refunds(RefundState.REQUESTED),
            lambda r: services.refund_auto_approve(order=r.order, refund=r, now=now),
            of=("self", "order"),
            batch_size=batch_size,
        ),
        "refunds_auto_closed": _sweep(
            refunds([RefundState.REJECTED, RefundState.OFFERED, RefundState.AWAITING_RETURN]),
            lambda r: services.refund_auto_close(refund=r, now=now),
            of=("self", "order"),
            batch_size=batch_size,
            batched_saves=True,
        ),
        "returns_auto_confirmed": _sweep(
            refunds(RefundState.RETURN_SHIPPED),
            lambda r: services.refund_auto_confirm_return(order=r.order, refund=r, now=now),
            of=("self", "order"),
            batch_size=batch_size,
        ),
        "evidence_windows_closed": _sweep(
            lambda: Intervention.objects.filter(
                state=InterventionState.AWAITING_EVIDENCE, evidence_deadline__lte=now
            ),
            lambda i: services.intervention_close_evidence(intervention=i, now=now),
            of=("self",),
            batch_size=batch_size,
            batched_saves=True,
        ),
        "orders_auto_confirmed": _sweep(
            # Receipt is not confirmed for the buyer while an after-sales request is open.
            lambda: Order.objects.filter(
                state=OrderState.DELIVERED, auto_confirm_at__lte=now
            ).filter(~Exists(open_refund)),
            lambda o: order_auto_confirm(order=o, now=now),
            of=("self",),
            batch_size=batch_size,
            batched_saves=True,
        ),
        "restrictions_ended": _sweep(
            lambda: Restriction.objects.select_related("shop").filter(
                ended_at__isnull=True, ends_at__lte=now
            ),
            lambda r: restriction_end(restriction=r, now=now),
            of=("self", "shop"),
            batch_size=batch_size,
        ),
    }
