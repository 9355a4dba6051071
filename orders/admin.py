from django.contrib import admin

from core.admin import CappedCountPaginator, ReadOnlyAdmin, ReadOnlyInline
from orders.models import Order, OrderItem


class OrderItemInline(ReadOnlyInline):
    model = OrderItem


@admin.register(Order)
class OrderAdmin(ReadOnlyAdmin):
    list_display = ["number", "buyer", "shop", "state", "total", "refunded_amount", "created_at"]
    list_filter = ["state"]
    list_select_related = ["buyer", "shop"]
    search_fields = ["=number", "buyer__username", "shop__name"]
    inlines = [OrderItemInline]
    paginator = CappedCountPaginator
    show_full_result_count = False


@admin.register(OrderItem)
class OrderItemAdmin(ReadOnlyAdmin):
    list_display = ["order", "title", "quantity", "unit_price"]
    list_select_related = ["order"]
    search_fields = ["=order__number", "title"]
    paginator = CappedCountPaginator
    show_full_result_count = False
