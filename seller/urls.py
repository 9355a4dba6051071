"""The seller center (商家后台), all under /seller/."""

from __future__ import annotations

from django.urls import path

from seller.views import addresses, desk, orders, penalties, products

urlpatterns = [
    path("", desk.queue, name="seller-queue"),
    path("refunds/<int:pk>/", desk.refund_detail, name="seller-refund"),
    path("refunds/<int:pk>/approve/", desk.refund_approve, name="seller-refund-approve"),
    path(
        "refunds/<int:pk>/approve-without-return/",
        desk.refund_approve_without_return,
        name="seller-refund-approve-without-return",
    ),
    path("refunds/<int:pk>/reject/", desk.refund_reject, name="seller-refund-reject"),
    path("refunds/<int:pk>/offer/", desk.refund_offer, name="seller-refund-offer"),
    path(
        "refunds/<int:pk>/confirm-return/",
        desk.refund_confirm_return,
        name="seller-refund-confirm-return",
    ),
    path("refunds/<int:pk>/concede/", desk.refund_concede, name="seller-refund-concede"),
    path("refunds/<int:pk>/evidence/", desk.case_evidence, name="seller-case-evidence"),
    path("refunds/<int:pk>/messages/", desk.refund_message, name="seller-refund-message"),
    path("orders/", orders.orders, name="seller-orders"),
    path("orders/<int:pk>/ship/", orders.order_ship, name="seller-order-ship"),
    path("products/", products.products, name="seller-products"),
    path("products/new/", products.product_create, name="seller-product-create"),
    path("products/<int:pk>/edit/", products.product_edit, name="seller-product-edit"),
    path("products/<int:pk>/publish/", products.product_publish, name="seller-product-publish"),
    path(
        "products/<int:pk>/images/<int:image_pk>/remove/",
        products.product_image_remove,
        name="seller-product-image-remove",
    ),
    path(
        "products/<int:pk>/images/<int:image_pk>/move/",
        products.product_image_move,
        name="seller-product-image-move",
    ),
    path(
        "products/<int:pk>/unpublish/",
        products.product_unpublish,
        name="seller-product-unpublish",
    ),
    path("return-addresses/", addresses.return_addresses, name="seller-return-addresses"),
    path(
        "return-addresses/new/",
        addresses.return_address_create,
        name="seller-return-address-create",
    ),
    path(
        "return-addresses/<int:pk>/edit/",
        addresses.return_address_edit,
        name="seller-return-address-edit",
    ),
    path(
        "return-addresses/<int:pk>/default/",
        addresses.return_address_make_default,
        name="seller-return-address-default",
    ),
    path(
        "return-addresses/<int:pk>/delete/",
        addresses.return_address_delete,
        name="seller-return-address-delete",
    ),
    path("dashboard/", penalties.dashboard, name="penalty-dashboard"),
    path("rulings/<int:pk>/appeal/", penalties.ruling_appeal, name="seller-ruling-appeal"),
]
