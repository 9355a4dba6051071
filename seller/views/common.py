"""What every seller-center page starts from: the signed-in user's own shop.

An object of another shop is simply not found (404), and a user who staffs no shop is refused
(403). Views parse the form, call one service through `core.pages` and redirect; what may be
done is read from the selectors and policies, never decided here.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from merchants.models import Shop
from merchants.selectors import shop_of

# A phone screen or two: the queue is worked from the top (soonest deadline first).
QUEUE_PAGE_SIZE = 20


def staff_shop(request) -> Shop:
    """The shop the signed-in user works for; anyone else may not enter the seller center."""
    shop = shop_of(request.user)
    if shop is None:
        raise PermissionDenied(_("The seller center is for a shop's staff."))
    return shop
