"""Random actors drive orders, refunds, interventions, rulings and appeals through the services
(and the clock through the deadline sweep); after every step the whole database must still make
sense.

Each step is a service call by a random actor (mostly one who may act, sometimes anyone), the
common file → reject → escalate road in one go, or the clock moving on with the deadline sweep.
Every call either succeeds, by an actor allowed to act and with its audit entry, or raises the
domain error and changes nothing; any other exception fails the test. Every example runs in its
own savepoint, rolled back at teardown, so the test runs on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, transaction
from django.db.models import Max, Q
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    rule,
    run_state_machine_as_test,
)

from core.errors import DomainError
from core.models import AuditEntry, Notification
from core.roles import is_agent, is_supervisor
from core.rules import get_rules
from disputes import services as ds
from disputes.deadlines import enforce_deadlines
from disputes.models import (
    OPEN_REFUND_STATES,
    Appeal,
    AppealDecision,
    Evidence,
    Intervention,
    InterventionState,
    PlatformReimbursement,
    RefundKind,
    RefundOffer,
    RefundPayment,
    RefundReason,
    RefundRequest,
    RefundState,
    Ruling,
    RulingOutcome,
)
from merchants.models import Product, Shop
from merchants.selectors import is_staff_of
from orders import services as os_
from orders.models import PAID_STATES, Order, OrderState
from penalties.models import PenaltyKind, PenaltyRecord, Restriction
from penalties.services import penalty_period, points_in_period
from tests import factories

T0 = datetime(2026, 6, 1, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
ACTORS = ("buyer", "other_buyer", "merchant", "other_merchant", "agent", "supervisor")
MAX_ORDERS = 5
COUNTED = (
    AuditEntry,
    Notification,
    Evidence,
    RefundOffer,
    RefundPayment,
    Ruling,
    Appeal,
    PenaltyRecord,
    Restriction,
    PlatformReimbursement,
)

R, IS, S = RefundState, InterventionState, OrderState

# The graphs of SPEC §4 and §5 as the audit trail must show them: action → (from, to).
REFUND_EDGES = {
    "file": ({""}, {R.REQUESTED}),
    "approve": ({R.REQUESTED}, {R.REFUNDED, R.AWAITING_RETURN}),
    "auto_approve": ({R.REQUESTED}, {R.REFUNDED, R.AWAITING_RETURN}),
    "approve_without_return": ({R.REQUESTED}, {R.REFUNDED}),
    "reject": ({R.REQUESTED, R.RETURN_SHIPPED}, {R.REJECTED}),
    "offer": ({R.REQUESTED}, {R.OFFERED}),
    "accept_offer": ({R.OFFERED}, {R.REFUNDED, R.AWAITING_RETURN}),
    "decline_offer": ({R.OFFERED}, {R.REJECTED}),
    "revise": ({R.REJECTED}, {R.REQUESTED}),
    "escalate": ({R.REJECTED}, {R.IN_INTERVENTION}),
    "cancel": ({R.REQUESTED, R.REJECTED, R.OFFERED, R.AWAITING_RETURN}, {R.CANCELLED}),
    "auto_close": ({R.REJECTED, R.OFFERED, R.AWAITING_RETURN}, {R.CLOSED}),
    "ship_return": ({R.AWAITING_RETURN}, {R.RETURN_SHIPPED}),
    "confirm_return": ({R.RETURN_SHIPPED}, {R.REFUNDED}),
    "auto_confirm_return": ({R.RETURN_SHIPPED}, {R.REFUNDED}),
    "concede": ({R.IN_INTERVENTION}, {R.REFUNDED}),
    "rule": ({R.IN_INTERVENTION}, {R.REFUNDED, R.AWAITING_RETURN, R.CLOSED}),
}
INTERVENTION_EDGES = {
    "open": ({""}, {IS.AWAITING_EVIDENCE}),
    "close_evidence": ({IS.AWAITING_EVIDENCE}, {IS.UNDER_REVIEW}),
    "rule": ({IS.UNDER_REVIEW}, {IS.RULED}),
    "resolve_by_merchant": ({IS.AWAITING_EVIDENCE, IS.UNDER_REVIEW}, {IS.RESOLVED_BY_MERCHANT}),
    "appeal": ({IS.RULED}, {IS.APPEALED}),
    "decide_appeal": ({IS.APPEALED}, {IS.RULED}),
}
ORDER_EDGES = {
    "place": ({""}, {S.PENDING_PAYMENT}),
    "pay": ({S.PENDING_PAYMENT}, {S.PAID}),
    "cancel": ({S.PENDING_PAYMENT}, {S.CANCELLED}),
    "ship": ({S.PAID}, {S.SHIPPED}),
    "deliver": ({S.SHIPPED}, {S.DELIVERED}),
    "confirm_receipt": ({S.SHIPPED, S.DELIVERED}, {S.COMPLETED}),
    "auto_confirm": ({S.DELIVERED}, {S.COMPLETED}),
    "mark_refunded": (set(PAID_STATES), {S.REFUNDED}),
}

# What each actor may try on an order or a refund in a given state (guards aside).
# The move that leads deeper comes first (Hypothesis favours the first choice) and repeats
# weight the draw; the rest keep every path reachable.
ORDER_MOVES = {
    S.PENDING_PAYMENT: ["pay", "pay", "pay", "cancel_order"],
    S.PAID: ["file", "ship"],
    S.SHIPPED: ["file", "deliver", "confirm_receipt", "file"],
    S.DELIVERED: ["file", "confirm_receipt", "file"],
    S.COMPLETED: ["file"],
}
ORDER_ACTIONS = ["pay", "cancel_order", "ship", "deliver", "confirm_receipt", "file"]
REFUND_MOVES = {
    R.REQUESTED: ["reject", "approve", "reject", "offer", "approve_without_return", "cancel"],
    R.REJECTED: ["escalate", "revise", "escalate", "cancel"],
    R.OFFERED: ["accept_offer", "decline_offer", "accept_offer", "cancel"],
    R.AWAITING_RETURN: ["ship_return", "ship_return", "cancel"],
    R.RETURN_SHIPPED: ["confirm_return", "reject"],
}
CASE_MOVES = {
    IS.AWAITING_EVIDENCE: ["submit_evidence", "submit_evidence", "rule", "concede"],
    IS.UNDER_REVIEW: ["rule", "rule", "rule", "concede", "submit_evidence"],
    IS.RULED: ["appeal", "appeal", "approve"],
    IS.APPEALED: ["decide", "decide", "appeal"],
}
REFUND_ACTIONS = [
    "rule",
    "appeal",
    "decide",
    "approve",
    "approve_without_return",
    "reject",
    "offer",
    "accept_offer",
    "decline_offer",
    "revise",
    "escalate",
    "cancel",
    "ship_return",
    "confirm_return",
    "concede",
    "submit_evidence",
]
# Who may succeed: the buyer or staff of the object's shop, or a platform role.
WHO_MAY = {
    "pay": {"buyer"},
    "cancel_order": {"buyer"},
    "confirm_receipt": {"buyer"},
    "ship": {"merchant"},
    "deliver": {"merchant"},
    "file": {"buyer"},
    "approve": {"merchant"},
    "approve_without_return": {"merchant"},
    "reject": {"merchant"},
    "offer": {"merchant"},
    "accept_offer": {"buyer"},
    "decline_offer": {"buyer"},
    "confirm_return": {"merchant"},
    "concede": {"merchant"},
    "appeal": {"merchant"},
    "revise": {"buyer"},
    "escalate": {"buyer"},
    "cancel": {"buyer"},
    "ship_return": {"buyer"},
    "submit_evidence": {"buyer", "merchant"},
    "rule": {"agent"},
    "decide": {"supervisor"},
}

texts = st.sampled_from(["It arrived broken.", "See the photos.", "No.", "Used.", "", "x" * 501])
amounts = st.one_of(
    st.sampled_from(["full", "full", "half", "half", "over", "zero"]),
    st.decimals(min_value=Decimal("0.01"), max_value=Decimal("40"), places=2),
)
delays = st.one_of(
    st.integers(1, 24).map(lambda h: timedelta(hours=h)),
    st.integers(1, 72).map(lambda h: timedelta(hours=h)),
    st.integers(1, 20).map(lambda d: timedelta(days=d)),
)


def _amount(choice, refundable: Decimal) -> Decimal:
    if isinstance(choice, Decimal):
        return choice
    return {
        "full": refundable,
        "half": (refundable / 2).quantize(Decimal("0.01")),
        "over": refundable + Decimal("0.01"),
        "zero": Decimal(0),
    }[choice]


class DisputeWorkflow(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        try:
            self._set_up()
        except BaseException:
            self.teardown()
            raise

    def _set_up(self) -> None:
        shop = factories.ShopFactory()
        other_shop = factories.ShopFactory()
        self.users = {
            "buyer": factories.UserFactory(),
            "other_buyer": factories.UserFactory(),
            "merchant": factories.make_merchant(shop=shop),
            "other_merchant": factories.make_merchant(shop=other_shop),
            "agent": factories.make_agent(),
            "supervisor": factories.make_supervisor(),
        }
        self.products = {
            "main": factories.ProductFactory(shop=shop, price=Decimal("100.00")).pk,
            "cheap": factories.ProductFactory(shop=shop, price=Decimal("30.00")).pk,
            "other": factories.ProductFactory(shop=other_shop, price=Decimal("80.00")).pk,
        }
        self.now = T0
        self.order_ids: list[int] = []
        self.refund_ids: list[int] = []

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    # --- running one call ------------------------------------------------------------------

    def _relations(self, user, obj) -> set[str]:
        """What `user` is to `obj` (an order or a refund)."""
        rel = set()
        if obj.buyer_id == user.pk:
            rel.add("buyer")
        if is_staff_of(user, obj.shop_id):
            rel.add("merchant")
        if is_agent(user):
            rel.add("agent")
        if is_supervisor(user):
            rel.add("supervisor")
        return rel

    def _snapshot(self) -> tuple:
        return (
            tuple(Order.objects.order_by("pk").values_list("pk", "state", "refunded_amount")),
            tuple(
                RefundRequest.objects.order_by("pk").values_list(
                    "pk", "state", "amount", "deadline", "revision_count"
                )
            ),
            tuple(
                Intervention.objects.order_by("pk").values_list(
                    "pk", "state", "buyer_statement", "merchant_statement", "merchant_submitted_at"
                )
            ),
            tuple(Appeal.objects.order_by("pk").values_list("pk", "decision")),
            tuple(Shop.objects.order_by("pk").values_list("pk", "restricted_until")),
            tuple(Restriction.objects.order_by("pk").values_list("pk", "ended_at", "lifted_at")),
            self._row_counts(),
        )

    def _row_counts(self) -> tuple:
        """How many rows each written table holds, in one query."""
        counts = ", ".join(f"(SELECT COUNT(*) FROM {m._meta.db_table})" for m in COUNTED)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {counts}, (SELECT COUNT(*) FROM {PenaltyRecord._meta.db_table} "
                "WHERE reversed_at IS NOT NULL)"
            )
            return cursor.fetchone()

    def _call(self, action: str, actor: str, obj, service, audits=(), **kwargs):
        """Run one service call. A refusal must be the domain error and change nothing; a
        success must be by an actor allowed to act, and leave its audit entries."""
        user = self.users[actor]
        before = self._snapshot()
        last_audit = AuditEntry.objects.aggregate(last=Max("pk"))["last"] or 0
        try:
            result = service(actor=user, now=self.now, **kwargs)
        except DomainError as exc:
            assert self._snapshot() == before, f"a refused {action} by {actor} changed data"
            event(f"{action} refused ({exc.code})")
            return None
        event(f"{action} done")
        assert WHO_MAY[action] & self._relations(user, obj), f"{actor} could {action}"
        for target, audit_action in audits:
            target = target() if callable(target) else target
            assert AuditEntry.objects.filter(
                pk__gt=last_audit,
                target_type__model=target._meta.model_name,
                target_id=target.pk,
                action=audit_action,
                actor=user,
            ).exists(), f"{action} by {actor} left no {audit_action} audit entry"
        return result

    def _pick_actor(self, data, rightful: list[str]) -> str:
        """Mostly someone who may act, sometimes anyone (who is then often refused)."""
        anyone = data.draw(st.integers(0, 3), label="anyone") == 3
        return data.draw(
            st.sampled_from(ACTORS if anyone or not rightful else rightful), label="actor"
        )

    def _pick(self, data, ids: list[int], active: list[int], label: str) -> int:
        """Mostly an object that can still move, sometimes any."""
        pool = active if active and data.draw(st.integers(0, 3), label="any") < 3 else ids
        return data.draw(st.sampled_from(pool), label=label)

    def _names_of(self, obj, role: str) -> list[str]:
        return [name for name, user in self.users.items() if role in self._relations(user, obj)]

    # --- the one rule -------------------------------------------------------------------------

    @rule(data=st.data())
    def step(self, data):
        """Someone acts, or time passes. One weighted rule rather than one rule per kind of step:
        Hypothesis's swarm testing switches whole rules off per example, and an example without
        orders or refunds could only let time pass."""
        kinds = ["refund"] * 4 if self._active_refunds() else ["refund"] if self.refund_ids else []
        kinds += ["order"] * 3 if self.order_ids else []
        kinds += ["place"] * 2 if len(self.order_ids) < MAX_ORDERS else []
        kinds += ["dispute"] * 2 if self._fileable_orders() else []
        kinds += ["clock"] * 2
        kind = data.draw(st.sampled_from(kinds), label="step")
        getattr(self, {"refund": "act_on_refund", "order": "act_on_order"}.get(kind, kind))(data)

    def _fileable_orders(self) -> list[int]:
        return list(
            Order.objects.filter(pk__in=self.order_ids, state__in=PAID_STATES)
            .exclude(refunds__state__in=OPEN_REFUND_STATES)
            .values_list("pk", flat=True)
        )

    def dispute(self, data):
        """The common road to the platform in one step: the buyer files, the shop rejects, the
        buyer escalates and the shop may answer. Each move is an ordinary checked call."""
        order = Order.objects.get(
            pk=data.draw(st.sampled_from(self._fileable_orders()), label="order")
        )
        buyer, merchant = self._names_of(order, "buyer")[0], self._names_of(order, "merchant")[0]
        refund = self._file(data, order, buyer)
        if refund is None or not self._do_reject(data, refund, None, merchant):
            return
        escalated = self._do_escalate(data, refund, None, buyer)
        if escalated and data.draw(st.integers(0, 3), label="shop answers") < 3:
            self._do_submit_evidence(
                data, refund, Intervention.objects.get(refund=refund), merchant
            )

    # --- orders ------------------------------------------------------------------------------

    def place(self, data):
        actor = data.draw(st.sampled_from(["buyer", "other_buyer", *ACTORS]), label="actor")
        product = data.draw(st.sampled_from(["main", "cheap", "other"]), label="product")
        quantity = data.draw(st.sampled_from([1, 2, 0]), label="quantity")
        product = Product.objects.select_related("shop").get(pk=self.products[product])
        buyer = self.users[actor]
        before = self._snapshot()
        try:
            order = os_.order_place(buyer=buyer, product=product, quantity=quantity, now=self.now)
        except DomainError:
            assert self._snapshot() == before
            return
        assert not is_staff_of(buyer, product.shop_id)
        assert not product.shop.is_restricted(self.now)
        assert order.state == S.PENDING_PAYMENT
        self.order_ids.append(order.pk)

    def act_on_order(self, data):
        active = list(
            Order.objects.filter(pk__in=self.order_ids)
            .exclude(state__in=[S.CANCELLED, S.REFUNDED])
            .values_list("pk", flat=True)
        )
        order = Order.objects.get(pk=self._pick(data, self.order_ids, active, "order"))
        moves = ORDER_MOVES.get(order.state, [])
        if data.draw(st.integers(0, 3), label="any") == 3 or not moves:
            moves = ORDER_ACTIONS
        action = data.draw(st.sampled_from(moves), label="action")
        role = "merchant" if action in {"ship", "deliver"} else "buyer"
        actor = self._pick_actor(data, self._names_of(order, role))
        if action == "file":
            self._file(data, order, actor)
            return
        service = {
            "pay": os_.order_pay,
            "cancel_order": os_.order_cancel,
            "ship": os_.order_ship,
            "deliver": os_.order_deliver,
            "confirm_receipt": os_.order_confirm_receipt,
        }[action]
        kwargs = {"tracking_number": "SF1234"} if action == "ship" else {}
        audit = action.removesuffix("_order")
        self._call(action, actor, order, service, audits=[(order, audit)], order=order, **kwargs)

    def _file(self, data, order, actor):
        kind = data.draw(st.sampled_from(RefundKind.values), label="kind")
        reason = data.draw(st.sampled_from(RefundReason.values), label="reason")
        amount = _amount(data.draw(amounts, label="amount"), order.refundable_amount)
        refund = self._call(
            "file",
            actor,
            order,
            lambda actor, now, **kw: ds.refund_file(buyer=actor, now=now, **kw),
            order=order,
            kind=kind,
            reason=reason,
            amount=amount,
            description="See photos.",
        )
        if refund is not None:
            self._assert_audited(refund, "file", actor)
            self.refund_ids.append(refund.pk)
        return refund

    def _assert_audited(self, target, action, actor):
        assert AuditEntry.objects.filter(
            target_type__model=target._meta.model_name,
            target_id=target.pk,
            action=action,
            actor=self.users[actor],
        ).exists()

    # --- refunds and their interventions -----------------------------------------------------

    def _active_refunds(self) -> list[int]:
        """Refunds that can still move, or whose ruling can still be appealed or decided."""
        return list(
            RefundRequest.objects.filter(pk__in=self.refund_ids)
            .filter(
                Q(state__in=OPEN_REFUND_STATES)
                | Q(intervention__state=IS.APPEALED)
                | (
                    Q(intervention__state=IS.RULED, intervention__ruling__appeal__isnull=True)
                    & ~Q(intervention__ruling__outcome=RulingOutcome.MERCHANT_WINS)
                )
            )
            .values_list("pk", flat=True)
        )

    def act_on_refund(self, data):
        active = self._active_refunds()
        refund = RefundRequest.objects.get(pk=self._pick(data, self.refund_ids, active, "refund"))
        intervention = Intervention.objects.filter(refund=refund).first()
        moves = REFUND_MOVES.get(refund.state, [])
        if intervention is not None and not Appeal.objects.filter(
            ruling__intervention=intervention, decision__gt=""
        ):
            moves = CASE_MOVES.get(intervention.state, moves)
        if data.draw(st.integers(0, 3), label="any") == 3 or not moves:
            moves = REFUND_ACTIONS
        action = data.draw(st.sampled_from(moves), label="action")
        role = next(iter(WHO_MAY[action]))
        if action == "submit_evidence":
            role = data.draw(st.sampled_from(["merchant", "buyer"]), label="party")
        actor = self._pick_actor(data, self._names_of(refund, role))
        getattr(self, f"_do_{action}")(data, refund, intervention, actor)

    def _refund_call(self, action, actor, refund, service, audit=None, **kwargs):
        audits = [(refund, audit or action)]
        return self._call(action, actor, refund, service, audits=audits, refund=refund, **kwargs)

    def _do_approve(self, data, refund, intervention, actor):
        self._refund_call("approve", actor, refund, ds.refund_approve)

    def _do_approve_without_return(self, data, refund, intervention, actor):
        self._refund_call("approve_without_return", actor, refund, ds.refund_approve_without_return)

    def _do_reject(self, data, refund, intervention, actor):
        reason = data.draw(texts, label="reason")
        return self._refund_call("reject", actor, refund, ds.refund_reject, reason=reason)

    def _do_offer(self, data, refund, intervention, actor):
        amount = _amount(data.draw(amounts, label="amount"), refund.amount)
        self._refund_call(
            "offer",
            actor,
            refund,
            ds.refund_offer,
            amount=amount,
            return_required=data.draw(st.booleans(), label="return"),
            message=data.draw(texts, label="message"),
        )

    def _do_accept_offer(self, data, refund, intervention, actor):
        self._refund_call("accept_offer", actor, refund, ds.refund_accept_offer)

    def _do_decline_offer(self, data, refund, intervention, actor):
        self._refund_call("decline_offer", actor, refund, ds.refund_decline_offer)

    def _do_revise(self, data, refund, intervention, actor):
        amount = _amount(data.draw(amounts, label="amount"), refund.order.refundable_amount)
        reason = data.draw(st.sampled_from(RefundReason.values), label="reason")
        self._refund_call("revise", actor, refund, ds.refund_revise, amount=amount, reason=reason)

    def _do_escalate(self, data, refund, intervention, actor):
        statement = data.draw(texts, label="statement")
        return self._call(
            "escalate",
            actor,
            refund,
            ds.refund_escalate,
            audits=[
                (refund, "escalate"),
                (lambda: Intervention.objects.get(refund=refund), "open"),
            ],
            refund=refund,
            statement=statement,
        )

    def _do_cancel(self, data, refund, intervention, actor):
        self._refund_call("cancel", actor, refund, ds.refund_cancel)

    def _do_ship_return(self, data, refund, intervention, actor):
        tracking = data.draw(st.sampled_from(["YT9876", ""]), label="tracking")
        self._refund_call(
            "ship_return",
            actor,
            refund,
            ds.refund_ship_return,
            courier="sf",
            tracking_number=tracking,
        )

    def _do_confirm_return(self, data, refund, intervention, actor):
        self._refund_call("confirm_return", actor, refund, ds.refund_confirm_return)

    def _do_concede(self, data, refund, intervention, actor):
        audits = [(refund, "concede")]
        if intervention is not None:
            audits.append((intervention, "resolve_by_merchant"))
        self._call("concede", actor, refund, ds.refund_concede, audits=audits, refund=refund)

    def _do_submit_evidence(self, data, refund, intervention, actor):
        if intervention is None:
            return
        statement = data.draw(texts, label="statement")
        self._call(
            "submit_evidence",
            actor,
            refund,
            ds.intervention_submit_evidence,
            intervention=intervention,
            statement=statement,
        )

    def _do_rule(self, data, refund, intervention, actor):
        if intervention is None:
            return
        outcome = data.draw(st.sampled_from(RulingOutcome.values), label="outcome")
        if data.draw(st.integers(0, 3), label="odd") < 3:  # mostly a ruling an agent would give
            buyer_wins = outcome != RulingOutcome.MERCHANT_WINS
            responsible = buyer_wins and data.draw(st.integers(0, 3), label="blame") < 3
            return_required = buyer_wins and data.draw(st.booleans(), label="return")
            points = data.draw(st.sampled_from([6, None, 1, 2]), label="points")
            points = points if responsible else None
            amount = (refund.amount / 2).quantize(Decimal("0.01"))
        else:
            responsible = data.draw(st.booleans(), label="responsible")
            return_required = data.draw(st.booleans(), label="return")
            points = data.draw(st.sampled_from([None, 0, 1, 2, 6, 7]), label="points")
            amount = _amount(data.draw(amounts, label="amount"), refund.order.refundable_amount)
        self._call(
            "rule",
            actor,
            refund,
            ds.intervention_rule,
            audits=[(refund, "rule"), (intervention, "rule")],
            intervention=intervention,
            outcome=outcome,
            rationale=data.draw(texts, label="rationale"),
            merchant_responsible=responsible,
            merchant_cooperated=data.draw(st.sampled_from([False, None, True]), label="coop"),
            return_required=return_required,
            refund_amount=amount,
            penalty_points=points,
        )

    def _do_appeal(self, data, refund, intervention, actor):
        ruling = Ruling.objects.filter(intervention__refund=refund).first()
        if ruling is None:
            return
        self._call(
            "appeal",
            actor,
            refund,
            ds.ruling_appeal,
            audits=[(ruling.intervention, "appeal")],
            ruling=ruling,
            statement=data.draw(texts, label="statement"),
        )

    def _do_decide(self, data, refund, intervention, actor):
        appeal = Appeal.objects.filter(ruling__intervention__refund=refund).first()
        if appeal is None:
            return
        self._call(
            "decide",
            actor,
            refund,
            ds.appeal_decide,
            audits=[(intervention, "decide_appeal")],
            appeal=appeal,
            decision=data.draw(st.sampled_from([*AppealDecision.values, "maybe"]), label="d"),
            note=data.draw(texts, label="note"),
        )

    # --- the clock ---------------------------------------------------------------------------

    def clock(self, data):
        """Time passes and the deadline sweep runs, as the scheduler would run it."""
        self.now += data.draw(delays, label="delay")
        enforce_deadlines(now=self.now)

    # --- invariants, checked after every step ------------------------------------------------

    @invariant()
    def the_database_makes_sense(self):
        """One load of every row, then each rule of SPEC §4–§6 and §10 checked against it."""
        rows = Rows.load()
        self._nothing_is_overdue(rows)
        self._states_are_consistent(rows)
        self._money_adds_up(rows)
        self._every_state_change_is_audited(rows)
        self._penalties_follow_the_rulings(rows)

    def _nothing_is_overdue(self, rows: Rows) -> None:
        """Time moves only through the sweep, so no automatic move is ever left behind."""
        now = self.now
        swept = {R.REQUESTED, R.REJECTED, R.OFFERED, R.AWAITING_RETURN, R.RETURN_SHIPPED}
        for refund in rows.refunds:
            assert not (refund.state in swept and refund.deadline <= now), refund
        for case in rows.interventions.values():
            assert not (case.state == IS.AWAITING_EVIDENCE and case.evidence_deadline <= now)
        for restriction in rows.restrictions:
            assert restriction.ended_at is not None or restriction.ends_at > now
        # Receipt is not confirmed while a request is open; once it closes, the next sweep
        # confirms it, so only a request open now or closed since the last sweep holds it back.
        held = {
            r.order_id for r in rows.refunds if r.state in OPEN_REFUND_STATES or r.closed_at == now
        }
        for order in rows.orders.values():
            if order.state == S.DELIVERED and order.auto_confirm_at <= now:
                assert order.pk in held, order

    def _states_are_consistent(self, rows: Rows) -> None:
        open_per_order = Counter()
        for order in rows.orders.values():
            assert order.state in S.values
            assert (order.paid_at is None) == (order.state in {S.PENDING_PAYMENT, S.CANCELLED})
        for refund in rows.refunds:
            order = rows.orders[refund.order_id]
            assert refund.state in R.values
            assert refund.shop_id == order.shop_id and refund.buyer_id == order.buyer_id
            assert 0 < refund.amount <= order.total
            case = rows.interventions.get(refund.pk)
            assert (refund.escalated_at is None) == (case is None)
            if refund.state in OPEN_REFUND_STATES:
                open_per_order[order.pk] += 1
                assert order.state in PAID_STATES
                assert (refund.deadline is None) == (refund.state == R.IN_INTERVENTION)
            else:
                assert refund.deadline is None and refund.closed_at is not None
            if case is not None:
                self._case_is_consistent(rows, refund, case)
        assert all(n == 1 for n in open_per_order.values()), open_per_order

    def _case_is_consistent(self, rows: Rows, refund, case) -> None:
        assert case.state in IS.values
        assert case.shop_id == refund.shop_id and case.buyer_id == refund.buyer_id
        open_case = case.state in {IS.AWAITING_EVIDENCE, IS.UNDER_REVIEW}
        assert open_case == (refund.state == R.IN_INTERVENTION), (refund, case)
        if case.state == IS.UNDER_REVIEW:
            assert case.ruling_deadline is not None
        if case.state == IS.RESOLVED_BY_MERCHANT:
            assert refund.state == R.REFUNDED
        ruling = rows.rulings.get(case.pk)
        assert (ruling is not None) == (case.state in {IS.RULED, IS.APPEALED}), case
        if ruling is None:
            return
        if ruling.outcome == RulingOutcome.MERCHANT_WINS:
            assert refund.state == R.CLOSED
        else:
            assert refund.amount == ruling.refund_amount
            if ruling.return_required:
                assert refund.platform_ordered_return
                assert refund.state != R.REJECTED  # a return the platform ordered
            else:
                assert refund.state == R.REFUNDED
        appeal = rows.appeals.get(ruling.pk)
        if case.state == IS.APPEALED:
            assert appeal is not None and not appeal.decision
        elif appeal is not None:
            assert appeal.decision in AppealDecision.values
        if appeal is not None:
            assert ruling.outcome != RulingOutcome.MERCHANT_WINS
        overturned = appeal is not None and appeal.decision == AppealDecision.OVERTURN
        assert (ruling.overturned_at is not None) == overturned
        # The platform pays the shop back what the buyer was paid under an overturned ruling.
        reimbursement = rows.reimbursements.get(ruling.pk)
        payment = rows.payments_by_refund.get(refund.pk)
        assert (reimbursement is not None) == (overturned and payment is not None), ruling
        if reimbursement is not None:
            assert reimbursement.amount == payment.amount
            assert reimbursement.shop_id == refund.shop_id

    def _money_adds_up(self, rows: Rows) -> None:
        by_order = defaultdict(list)
        by_refund = defaultdict(list)
        for payment in rows.payments:
            by_order[payment.order_id].append(payment)
            by_refund[payment.refund_id].append(payment)
        for order in rows.orders.values():
            paid_back = sum((p.amount for p in by_order[order.pk]), Decimal(0))
            assert 0 <= order.refunded_amount <= order.total
            assert order.refunded_amount == paid_back, order
            assert (order.state == S.REFUNDED) == (order.refunded_amount == order.total)
        for refund in rows.refunds:
            paid = by_refund[refund.pk]
            if refund.state == R.REFUNDED:
                assert len(paid) == 1, refund
                assert paid[0].amount == refund.amount and paid[0].order_id == refund.order_id
            else:
                assert paid == [], refund

    def _every_state_change_is_audited(self, rows: Rows) -> None:
        """The audit trail of each object walks its graph, edge by edge, to its current state."""
        graphs = [
            (rows.orders.values(), ORDER_EDGES, ""),
            (rows.refunds, REFUND_EDGES, ""),
            (rows.interventions.values(), INTERVENTION_EDGES, ""),
        ]
        for objects, edges, initial in graphs:
            for obj in objects:
                entries = rows.audit[obj._meta.model_name, obj.pk]
                moments = [e.created_at for e in entries]
                # Dated at the action's moment: in order, and never after the machine's clock.
                assert moments == sorted(moments) and max(moments) <= self.now, entries
                changes = [e for e in entries if e.to_state]
                state = initial
                for entry in changes:
                    sources, targets = edges[entry.action]
                    assert entry.from_state == state, (obj, entry)
                    assert entry.from_state in sources and entry.to_state in targets, entry
                    assert (entry.actor_id is None) == (entry.actor_role == "system"), entry
                    state = entry.to_state
                assert state == obj.state, (obj, changes)
        for refund in rows.refunds:
            changes = rows.audit["refundrequest", refund.pk]
            assert changes[0].action == "file" and changes[0].actor_id == refund.buyer_id
            for entry in changes:
                if entry.action in {"approve", "auto_approve"}:
                    refund_only = refund.kind == RefundKind.REFUND_ONLY
                    assert entry.to_state == (R.REFUNDED if refund_only else R.AWAITING_RETURN)
                if entry.action == "approve_without_return":
                    assert refund.kind == RefundKind.RETURN_AND_REFUND

    def _penalties_follow_the_rulings(self, rows: Rows) -> None:
        rules = get_rules()
        records = defaultdict(dict)
        for record in rows.penalties:
            assert record.kind not in records[record.ruling_id]
            records[record.ruling_id][record.kind] = record
        counted = Counter()
        for case_id, ruling in rows.rulings.items():
            got = records.pop(ruling.pk, {})
            if not ruling.merchant_responsible:
                assert got == {}, ruling
                continue
            expected = {PenaltyKind.DISPUTE_LOST: ruling.penalty_points}
            if not ruling.merchant_cooperated:
                expected[PenaltyKind.NON_COOPERATION] = rules.non_cooperation_points
            assert {kind: r.points for kind, r in got.items()} == expected, ruling
            for record in got.values():
                assert record.shop_id == rows.cases_by_pk[case_id].shop_id
                assert record.period == penalty_period(ruling.created_at)
                assert (record.reversed_at is not None) == (ruling.overturned_at is not None)
                if record.reversed_at is None:
                    counted[record.shop_id, record.period] += record.points
        assert records == {}, "penalty records without a ruling of merchant responsibility"
        restrictions = defaultdict(list)
        for restriction in rows.restrictions:
            restrictions[restriction.shop_id, restriction.period].append(restriction)
        for shop_id, period in set(counted) | set(restrictions):
            points = points_in_period(shop_id=shop_id, period=period)
            assert points == counted[shop_id, period]
            # One restriction per threshold crossed and still counting (lifted ones do not).
            levels = sorted(r.level for r in restrictions[shop_id, period] if not r.lifted_at)
            reached = points // rules.restriction_threshold
            assert levels == list(range(1, reached + 1)), (shop_id, period, points, levels)
            for restriction in restrictions[shop_id, period]:
                if restriction.lifted_at:
                    assert restriction.ended_at and restriction.lifted_reason, restriction
        for shop in rows.shops:
            ends = [r.ends_at for r in rows.restrictions if r.shop_id == shop.pk and not r.ended_at]
            assert shop.restricted_until == max(ends, default=None), shop
            lost = [
                r
                for r in rows.penalties
                if r.shop_id == shop.pk and r.kind == PenaltyKind.DISPUTE_LOST and not r.reversed_at
            ]
            assert shop.dispute_cases == len(lost), shop


@dataclass
class Rows:
    """Every row the invariants look at, loaded once per step."""

    orders: dict
    refunds: list
    interventions: dict  # by refund id
    cases_by_pk: dict
    rulings: dict  # by intervention id
    appeals: dict  # by ruling id
    reimbursements: dict  # by ruling id
    payments: list
    payments_by_refund: dict
    penalties: list
    restrictions: list
    shops: list
    audit: dict  # by (model name, object id), in order

    @classmethod
    def load(cls) -> Rows:
        interventions = list(Intervention.objects.all())
        payments = list(RefundPayment.objects.all())
        audit = defaultdict(list)
        for entry in AuditEntry.objects.select_related("target_type").order_by("pk"):
            audit[entry.target_type.model, entry.target_id].append(entry)
        return cls(
            orders={o.pk: o for o in Order.objects.all()},
            refunds=list(RefundRequest.objects.all()),
            interventions={i.refund_id: i for i in interventions},
            cases_by_pk={i.pk: i for i in interventions},
            rulings={r.intervention_id: r for r in Ruling.objects.all()},
            appeals={a.ruling_id: a for a in Appeal.objects.all()},
            reimbursements={p.ruling_id: p for p in PlatformReimbursement.objects.all()},
            payments=payments,
            payments_by_refund={p.refund_id: p for p in payments},
            penalties=list(PenaltyRecord.objects.all()),
            restrictions=list(Restriction.objects.all()),
            shops=list(Shop.objects.all()),
            audit=audit,
        )


# Two runs of 20 examples: about 20 s each on PostgreSQL.
MACHINE_SETTINGS = settings(
    max_examples=20,
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


@pytest.mark.django_db
def test_random_actors_never_break_the_workflow():
    run_state_machine_as_test(DisputeWorkflow, settings=MACHINE_SETTINGS)


@pytest.mark.django_db
def test_random_actors_never_break_the_penalties_under_tight_rules(settings):
    """The same machine with a low threshold and short restrictions, so that restrictions,
    their end and their lifting on appeal happen within thirty steps."""
    settings.PLATFORM_RULES = {"restriction_threshold": 4, "first_restriction": timedelta(days=2)}
    run_state_machine_as_test(DisputeWorkflow, settings=MACHINE_SETTINGS)
