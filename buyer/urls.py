from __future__ import annotations

from django.urls import path

from buyer.views import account, aftersales, shopping

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
    path("orders/<int:order_pk>/after-sales/", aftersales.refund_new, name="refund-new"),
    path("after-sales/", aftersales.refund_list, name="refund-list"),
    path("after-sales/<int:pk>/", aftersales.refund_detail, name="refund-detail"),
    path("after-sales/<int:pk>/cancel/", aftersales.refund_cancel, name="refund-cancel"),
    path("after-sales/<int:pk>/revise/", aftersales.refund_revise, name="refund-revise"),
    path(
        "after-sales/<int:pk>/accept-offer/",
        aftersales.refund_accept_offer,
        name="refund-accept-offer",
    ),
    path(
        "after-sales/<int:pk>/decline-offer/",
        aftersales.refund_decline_offer,
        name="refund-decline-offer",
    ),
    path("after-sales/<int:pk>/escalate/", aftersales.refund_escalate, name="refund-escalate"),
    path(
        "after-sales/<int:pk>/ship-return/",
        aftersales.refund_ship_return,
        name="refund-ship-return",
    ),
    path("after-sales/<int:pk>/messages/", aftersales.refund_message, name="refund-message"),
    path("after-sales/<int:pk>/evidence/", aftersales.refund_add_evidence, name="refund-evidence"),
    path("interventions/<int:pk>/", aftersales.intervention_detail, name="intervention-detail"),
    # Where a notification leads: the buyer's page or the seller center's, by who asks.
    path("go/after-sales/<int:pk>/", aftersales.refund_open, name="refund-open"),
    path("go/interventions/<int:pk>/", aftersales.intervention_open, name="intervention-open"),
]
