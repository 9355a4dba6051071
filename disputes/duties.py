"""Separation of duties (SPEC §2): nobody acts as the platform on a case they are part of.

An agent never rules (or is assigned) a case in which they are the buyer or staff of the shop;
a supervisor never decides the appeal of their own ruling, nor one on such a case. Platform
staff cannot open or join a shop at all (merchants.services.shop_open); the check by case
stays as well, for an account that was a merchant before it became staff. The policies
of disputes.policies (may_rule, may_assign, may_decide_appeal) apply these checks.
"""

from __future__ import annotations

from core.errors import PermissionDenied
from merchants.selectors import is_staff_of


class ConflictOfInterest(PermissionDenied):
    """The actor is part of the case they would decide (the API's 403)."""

    code = "conflict_of_interest"


def conflict_of_interest(user, *, buyer_id: int, shop_id: int) -> str | None:
    """Why `user` may not act for the platform on a case of this buyer and shop, or None."""
    if not user.is_authenticated:
        return None
    if user.pk == buyer_id:
        return "You are the buyer in this case: another agent must decide it."
    if is_staff_of(user, shop_id):
        return "You work for the shop in this case: another agent must decide it."
    return None


def check_may_decide_case(user, *, buyer_id: int, shop_id: int) -> None:
    reason = conflict_of_interest(user, buyer_id=buyer_id, shop_id=shop_id)
    if reason:
        raise ConflictOfInterest(reason)


def own_ruling(user, ruling) -> bool:
    return user.is_authenticated and ruling.agent_id == user.pk


def check_may_decide_appeal(user, *, ruling, buyer_id: int, shop_id: int) -> None:
    if own_ruling(user, ruling):
        raise ConflictOfInterest(
            "You made the ruling under appeal: another supervisor must decide the appeal."
        )
    check_may_decide_case(user, buyer_id=buyer_id, shop_id=shop_id)
