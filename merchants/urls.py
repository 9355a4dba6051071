from __future__ import annotations

from django.urls import path

from merchants import views

urlpatterns = [
    path("seller/", views.queue, name="seller-queue"),
    path("seller/refunds/<int:pk>/", views.refund_detail, name="seller-refund"),
    path("seller/refunds/<int:pk>/approve/", views.refund_approve, name="seller-refund-approve"),
    path(
        "seller/refunds/<int:pk>/approve-without-return/",
        views.refund_approve_without_return,
        name="seller-refund-approve-without-return",
    ),
    path("seller/refunds/<int:pk>/reject/", views.refund_reject, name="seller-refund-reject"),
    path(
        "seller/refunds/<int:pk>/confirm-return/",
        views.refund_confirm_return,
        name="seller-refund-confirm-return",
    ),
    path("seller/refunds/<int:pk>/concede/", views.refund_concede, name="seller-refund-concede"),
    path("seller/refunds/<int:pk>/evidence/", views.case_evidence, name="seller-case-evidence"),
    path("seller/orders/", views.orders, name="seller-orders"),
    path("seller/orders/<int:pk>/ship/", views.order_ship, name="seller-order-ship"),
    path("seller/products/", views.products, name="seller-products"),
    path("seller/products/new/", views.product_create, name="seller-product-create"),
    path("seller/products/<int:pk>/edit/", views.product_edit, name="seller-product-edit"),
    path("seller/products/<int:pk>/publish/", views.product_publish, name="seller-product-publish"),
    path(
        "seller/products/<int:pk>/unpublish/",
        views.product_unpublish,
        name="seller-product-unpublish",
    ),
    path("seller/rulings/<int:pk>/appeal/", views.ruling_appeal, name="seller-ruling-appeal"),
    path("shops/<int:pk>/", views.shop_detail, name="shop-detail"),
]
