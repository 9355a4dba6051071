"""The refusals of shops and products."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.errors import ErrorCode, InvalidInput, PermissionDenied


class MerchantErrorCode(ErrorCode):
    SHOP_RESTRICTED = (
        "shop_restricted",
        PermissionDenied,
        _(
            "The shop “%(shop)s” is restricted until %(until)s after reaching the penalty "
            "threshold: it cannot create or publish products until then."
        ),
    )
    PLATFORM_STAFF = (
        "platform_staff",
        PermissionDenied,
        _("Platform staff cannot open or work for a shop."),
    )
    ALREADY_MERCHANT = "already_merchant", InvalidInput, _("You already work for a shop.")
    SHOP_NAME_REQUIRED = "shop_name_required", InvalidInput, _("A shop needs a name.")
    SHOP_NAME_TAKEN = (
        "shop_name_taken",
        InvalidInput,
        _("A shop with this name already exists."),
    )
    PRODUCT_TITLE_REQUIRED = (
        "product_title_required",
        InvalidInput,
        _("A product needs a title."),
    )
    PRICE_NOT_POSITIVE = "price_not_positive", InvalidInput, _("The price must be more than ¥0.")
    RETURN_PHONE_INVALID = (
        "return_phone_invalid",
        InvalidInput,
        _("Enter a phone number of 5 to 20 digits (spaces, + and - allowed), e.g. 13800138000."),
    )
    PRODUCT_IMAGE_LIMIT = (
        "product_image_limit",
        InvalidInput,
        _("A product has at most %(limit)s images; this one has %(given)s already."),
    )
