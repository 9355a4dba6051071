"""Orders to ship, each with its tracking-number form."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.pages import post_action
from orders import services as order_services
from seller.forms import ShipForm
from seller.selectors import orders_to_ship
from seller.views.common import QUEUE_PAGE_SIZE, staff_shop


@login_required
def orders(request):
    """Orders to ship, the longest-waiting first, each with its tracking-number form."""
    shop = staff_shop(request)
    page = Paginator(orders_to_ship(shop_id=shop.pk), QUEUE_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "seller/orders.html",
        {"shop": shop, "page": page, "form": ShipForm(), "section": "orders"},
    )


@login_required
@require_POST
def order_ship(request, pk: int):
    shop = staff_shop(request)
    order = get_object_or_404(orders_to_ship(shop_id=shop.pk), pk=pk)
    return post_action(
        request,
        lambda: order_services.order_ship(
            order=order,
            actor=request.user,
            tracking_number=request.POST.get("tracking_number", ""),
        ),
        success=_("Order %(number)s shipped.") % {"number": order.number},
        redirect_to=reverse("seller-orders"),
    )
