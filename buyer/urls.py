from __future__ import annotations

from django.urls import path

from buyer.views import account, shopping

urlpatterns = [
    path("", shopping.home, name="home"),
    path("products/<int:pk>/", shopping.product_detail, name="product-detail"),
    path("me/", account.personal_center, name="personal-center"),
    path("orders/", shopping.order_list, name="order-list"),
    path("orders/<int:pk>/", shopping.order_detail, name="order-detail"),
    path("orders/<int:pk>/pay/", shopping.order_pay_view, name="order-pay"),
    path("orders/<int:pk>/cancel/", shopping.order_cancel_view, name="order-cancel"),
    path(
        "orders/<int:pk>/confirm-receipt/",
        shopping.order_confirm_receipt_view,
        name="order-confirm-receipt",
    ),
]
