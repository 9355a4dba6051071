"""Where a return goes: the shop's default return address, copied onto the request.

Every way into 待买家退货 — the shop's approval, the sweep's for a silent shop, a ruling that
orders the goods back, and any later one (an accepted offer that asks for the goods) — calls
`refund_snapshot_return_address` after its transition, inside its transaction: a refusal then
undoes the whole move.
"""

from __future__ import annotations

from core.errors import DomainError
from disputes.errors import DisputeErrorCode
from disputes.models import RefundRequest
from merchants.selectors import default_return_address

SNAPSHOT_FIELDS = ["return_to_name", "return_to_phone", "return_to_region", "return_to_address"]


def refund_snapshot_return_address(refund: RefundRequest) -> None:
    """Copy the shop's default return address onto `refund` and save those fields; refuse
    (`no_return_address`) when the shop has none. The caller holds the refund's lock.

    The address row is read, not locked: a concurrent edit or move of the default commits
    either before (and this copies the new one) or after (and the copy keeps the old one),
    and both are addresses the shop gave. Locking it here would also take the address after
    the refund, the reverse of the address services' shop → address order.
    """
    address = default_return_address(refund.shop_id)
    if address is None:
        raise DomainError(
            DisputeErrorCode.NO_RETURN_ADDRESS,
            {"shop": refund.shop.name},
            field="return_required",
            state=refund.state,
        )
    refund.return_to_name = address.name
    refund.return_to_phone = address.phone
    refund.return_to_region = address.region
    refund.return_to_address = address.address
    refund.save(update_fields=SNAPSHOT_FIELDS)
