"""The refusals of orders."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.errors import ErrorCode, InvalidInput, TransitionNotAllowed


class OrderErrorCode(ErrorCode):
    QUANTITY_TOO_LOW = "quantity_too_low", InvalidInput, _("Buy at least one.")
    PRODUCT_NOT_FOR_SALE = "product_not_for_sale", InvalidInput, _("This product is not for sale.")
    OWN_SHOP = "own_shop", InvalidInput, _("You cannot buy from your own shop.")
    TRACKING_NUMBER_REQUIRED = (
        "tracking_number_required",
        InvalidInput,
        _("A tracking number is required to ship."),
    )
    REFUND_ABOVE_REFUNDABLE = (
        "refund_above_refundable",
        InvalidInput,
        _("¥%(amount)s is more than the ¥%(refundable)s left to refund."),
    )
    NOT_FULLY_REFUNDED = (
        "not_fully_refunded",
        TransitionNotAllowed,
        _("The refunds have not yet reached the amount paid."),
    )
