from __future__ import annotations

from rest_framework.permissions import BasePermission

from merchants.selectors import is_staff_of, shop_id_of


class IsMerchant(BasePermission):
    message = "Only a shop's staff may do this: open a shop first."

    def has_permission(self, request, view) -> bool:
        return shop_id_of(request.user) is not None


class IsStaffOfShopInPath(BasePermission):
    """The caller works for the shop named by the URL's `pk`."""

    message = "Only this shop's staff may do this."

    def has_permission(self, request, view) -> bool:
        return is_staff_of(request.user, view.kwargs.get("pk"))
