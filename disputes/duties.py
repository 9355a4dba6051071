"""Separation of duties (SPEC §2): nobody acts as the platform on a case they are part of.

An agent never rules (or is assigned) a case in which they are the buyer or staff of the shop;
a supervisor never decides the appeal of their own ruling, nor one on such a case. Platform
staff cannot open or join a shop at all (merchants.services.shop_open); the check by case
stays as well, for an account that was a merchant before it became staff. The policies
of disputes.policies (may_rule, may_assign, may_decide_appeal) apply these checks.
"""

from __future__ import annotations

from core.errors import DomainError
from disputes.errors import DisputeErrorCode
from merchants.selectors import is_staff_of


def check_may_decide_case(user, *, buyer_id: int, shop_id: int) -> None:
    """Refuse (403) a `user` who is part of a case of this buyer and shop."""
    if not user.is_authenticated:
        return
    if user.pk == buyer_id:
        raise DomainError(DisputeErrorCode.CONFLICT_OF_INTEREST_BUYER)
    if is_staff_of(user, shop_id):
        raise DomainError(DisputeErrorCode.CONFLICT_OF_INTEREST_SHOP)


def own_ruling(user, ruling) -> bool:
    return user.is_authenticated and ruling.agent_id == user.pk


def check_may_decide_appeal(user, *, ruling, buyer_id: int, shop_id: int) -> None:
    if own_ruling(user, ruling):
        raise DomainError(DisputeErrorCode.CONFLICT_OF_INTEREST_OWN_RULING)
    check_may_decide_case(user, buyer_id=buyer_id, shop_id=shop_id)
