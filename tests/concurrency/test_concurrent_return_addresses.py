"""Two staff of a shop changing its default return address at the same moment, and a shop
approving a return while its default moves: the shop keeps exactly one default, and the
request copies one whole address the shop gave, never a mix."""

from __future__ import annotations

from functools import partial

from disputes import services as ds
from disputes.models import RefundKind
from merchants import services as ms
from merchants.models import ReturnAddress
from tests.concurrency.race import postgres_only, race

pytestmark = postgres_only

ROUNDS = 5


def _address(shop, where: str) -> ReturnAddress:
    return ms.return_address_add(
        shop=shop, name=where, phone="13800138000", region="浙江省 杭州市", address=where
    )


def test_two_new_defaults_at_once_leave_exactly_one(shop, merchant):
    for i in range(ROUNDS):
        a, b = _address(shop, f"A{i}"), _address(shop, f"B{i}")

        outcomes = race(
            partial(ms.return_address_make_default, return_address=a),
            partial(ms.return_address_make_default, return_address=b),
        )

        assert all(o.ok for o in outcomes), [o.error for o in outcomes]
        assert ReturnAddress.objects.filter(shop=shop, is_default=True).count() == 1


def test_adding_a_default_while_deleting_the_old_one_leaves_exactly_one(shop):
    for i in range(ROUNDS):
        old = ReturnAddress.objects.get(shop=shop, is_default=True)

        outcomes = race(
            partial(ms.return_address_delete, return_address=old),
            partial(
                ms.return_address_add,
                shop=shop,
                name=f"N{i}",
                phone="13800138000",
                region="浙江省",
                address=f"N{i}",
                make_default=True,
            ),
        )

        assert all(o.ok for o in outcomes), [o.error for o in outcomes]
        assert ReturnAddress.objects.filter(shop=shop, is_default=True).count() == 1


def test_approving_while_the_default_moves_copies_one_whole_address(wf, merchant, shop):
    _address(shop, "华南仓")  # beside the factory's default: the two take turns
    for _ in range(ROUNDS):
        refund = wf.file(wf.order("delivered"), kind=RefundKind.RETURN_AND_REFUND)
        current = ReturnAddress.objects.get(shop=shop, is_default=True)
        target = ReturnAddress.objects.get(shop=shop, is_default=False)

        outcomes = race(
            partial(ds.refund_approve, refund=refund, actor=merchant, now=wf.now),
            partial(ms.return_address_make_default, return_address=target),
        )

        assert all(o.ok for o in outcomes), [o.error for o in outcomes]
        refund.refresh_from_db()
        copied = (refund.return_to_name, refund.return_to_address)
        assert copied in {(current.name, current.address), (target.name, target.address)}
