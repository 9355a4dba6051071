"""The order graph of SPEC §3, table-driven: every state × every action × every actor."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType

from core.fsm import SYSTEM
from core.models import AuditEntry
from orders import services as os_
from orders.models import Order
from tests.domain.conftest import ACTORS, Snapshot, assert_refused_for_each

ORDER_STATES = ["pending_payment", "paid", "shipped", "delivered", "completed", "cancelled"]
ORDER_ACTIONS = {
    "pay": lambda o, a, now: os_.order_pay(order=o, actor=a, now=now),
    "cancel": lambda o, a, now: os_.order_cancel(order=o, actor=a, now=now),
    "ship": lambda o, a, now: os_.order_ship(order=o, actor=a, tracking_number="SF9", now=now),
    "deliver": lambda o, a, now: os_.order_deliver(order=o, actor=a, now=now),
    "confirm_receipt": lambda o, a, now: os_.order_confirm_receipt(order=o, actor=a, now=now),
}
ORDER_ALLOWED = {
    ("pending_payment", "pay"): ({"buyer"}, "paid"),
    ("pending_payment", "cancel"): ({"buyer"}, "cancelled"),
    ("paid", "ship"): ({"merchant"}, "shipped"),
    ("shipped", "deliver"): ({"merchant"}, "delivered"),
    ("shipped", "confirm_receipt"): ({"buyer"}, "completed"),
    ("delivered", "confirm_receipt"): ({"buyer"}, "completed"),
}
ALL_STATES = [*ORDER_STATES, "refunded"]
ALLOWED = [
    (state, action, actor, target)
    for (state, action), (who, target) in ORDER_ALLOWED.items()
    for actor in sorted(who)
]
REFUSED = [
    (state, action, [a for a in ACTORS if a not in ORDER_ALLOWED.get((state, action), ((),))[0]])
    for state in ALL_STATES
    for action in ORDER_ACTIONS
]


def _reach(wf, state):
    if state == "refunded":
        return wf.refund("refunded").order
    return wf.order(state)


@pytest.mark.parametrize(
    ("state", "action", "actor", "target"), ALLOWED, ids=["-".join(c[:3]) for c in ALLOWED]
)
def test_an_allowed_order_move_reaches_its_state_and_is_audited_once(
    wf, actors, state, action, actor, target
):
    # given
    order = _reach(wf, state)
    seen = set(AuditEntry.objects.values_list("pk", flat=True))

    # when
    ORDER_ACTIONS[action](order, actors[actor], wf.now)

    # then
    assert Order.objects.get(pk=order.pk).state == target
    entries = AuditEntry.objects.filter(
        target_type=ContentType.objects.get_for_model(Order), target_id=order.pk
    ).exclude(pk__in=seen)
    assert [(e.action, e.from_state, e.to_state, e.actor_id) for e in entries] == [
        (action, state, target, actors[actor].pk)
    ]


@pytest.mark.parametrize(
    ("state", "action", "refused_actors"), REFUSED, ids=["-".join(c[:2]) for c in REFUSED]
)
def test_a_refused_order_move_raises_the_domain_error_and_changes_nothing(
    wf, actors, subtests, state, action, refused_actors
):
    # given
    order = _reach(wf, state)

    # when / then: every actor not allowed this move, one subtest each
    assert_refused_for_each(
        subtests,
        actors,
        refused_actors,
        attempt=lambda actor: ORDER_ACTIONS[action](order, actor, wf.now),
        snapshot=lambda: Snapshot.take(order=order),
        states={state},
    )


def test_the_carrier_hook_marks_a_shipped_order_delivered_and_starts_auto_confirm(wf):
    order = wf.order("shipped")

    order = os_.order_deliver(order=order, actor=SYSTEM, now=wf.now)

    assert order.state == "delivered"
    assert order.auto_confirm_at == wf.now + timedelta(days=10)
    entry = AuditEntry.objects.filter(action="deliver", target_id=order.pk).get()
    assert (entry.actor_id, entry.actor_role) == (None, "system")


def test_the_unit_price_is_copied_at_purchase(wf, product):
    order = wf.order("paid", quantity=2)

    product.price = "999.00"
    product.save()

    item = order.items.get()
    assert (str(item.unit_price), item.quantity, str(order.total)) == ("100.00", 2, "200.00")
