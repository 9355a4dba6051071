"""Shopping: the catalogue, a product (buy), 我的订单 (tabs by state) and an order's page."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from buyer.forms import BuyForm
from core.fsm import available_actions
from core.pages import CountedPaginator, form_page, post_action
from disputes.policies import after_sales_closed_at, may_file_refund
from merchants.selectors import CatalogueListing, product_shown
from orders.models import OrderState
from orders.selectors import (
    BUYER_ORDER_TABS,
    buyer_order_counts,
    buyer_order_list,
    buyer_orders,
    items_as_sold,
)
from orders.services import order_cancel, order_confirm_receipt, order_pay, order_place

PAGE_SIZE = 20


def home(request):
    """The catalogue of unrestricted shops' products, best-ranked first, with a search box."""
    query = request.GET.get("q", "").strip()[:100]
    page = Paginator(CatalogueListing(query), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "buyer/home.html", {"page": page, "query": query})


@require_http_methods(["GET", "POST"])
def product_detail(request, pk: int):
    product = product_shown(pk)
    if product is None:
        raise Http404
    form = BuyForm(request.POST or None)
    if request.method == "POST" and not request.user.is_authenticated:
        return redirect_to_login(request.path, settings.LOGIN_URL)
    return form_page(
        request,
        form,
        action=lambda data: order_place(
            buyer=request.user, product=product, quantity=data["quantity"]
        ),
        success=_("Order placed. Pay to send it to the shop."),
        to=lambda order: reverse("order-detail", args=[order.pk]),
        page=lambda: render(
            request,
            "buyer/product_detail.html",
            # order_place refuses a restricted shop's product; the page says why beforehand.
            {"product": product, "form": form, "restricted": product.shop.is_restricted()},
        ),
    )


# The states the list shows as final (greyed): the order's story is over.
FINAL_ORDER_STATES = frozenset({OrderState.COMPLETED, OrderState.CANCELLED, OrderState.REFUNDED})


@login_required
def order_list(request):
    tab = request.GET.get("tab", "all")
    if tab not in BUYER_ORDER_TABS:
        tab = "all"
    counts = buyer_order_counts(request.user)
    page = CountedPaginator(
        buyer_order_list(request.user, tab=tab), PAGE_SIZE, count=counts[tab]
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "buyer/order_list.html",
        {
            "page": page,
            "tab": tab,
            "counts": counts,
            "final_states": FINAL_ORDER_STATES,
        },
    )


def _own_order(request, pk: int):
    """The user's own order as its buyer, or 404 (also for the shop's staff)."""
    return get_object_or_404(buyer_orders(request.user), pk=pk)


@login_required
def order_detail(request, pk: int):
    order = _own_order(request, pk)
    verdict = may_file_refund(order, request.user)
    return render(
        request,
        "buyer/order_detail.html",
        {
            "order": order,
            "items": items_as_sold(order.pk),
            "actions": available_actions(order, request.user),
            "may_request_after_sales": verdict.allowed,
            # 申请售后 gone once the window passed: the page says why and until when
            "after_sales_closed": verdict.reason if after_sales_closed_at(order) else "",
            "refunds": list(order.refunds.all()),
        },
    )


def _order_action(service, success: str):
    @login_required
    @require_POST
    def view(request, pk: int):
        order = _own_order(request, pk)
        return post_action(
            request,
            lambda: service(order=order, actor=request.user),
            success=success,
            redirect_to=reverse("order-detail", args=[order.pk]),
        )

    return view


order_pay_view = _order_action(order_pay, gettext_lazy("Paid. The shop will ship your order."))
order_cancel_view = _order_action(order_cancel, gettext_lazy("Order cancelled."))
order_confirm_receipt_view = _order_action(
    order_confirm_receipt, gettext_lazy("Receipt confirmed.")
)
