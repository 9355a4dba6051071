from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.admin import CappedCountPaginator, ReadOnlyAdmin, ReadOnlyInline
from orders.models import Order, OrderItem, OrderItemImage


class OrderItemInline(ReadOnlyInline):
    model = OrderItem


class _Picture:
    """The picture, through the access-checked view (MEDIA_URL serves nothing)."""

    @admin.display(description=_("image"))
    def picture(self, image: OrderItemImage):
        url = reverse("snapshot-image", args=[image.pk])
        return format_html(
            '<a href="{}"><img src="{}" alt="" width="96" height="96"></a>', url, url
        )


class OrderItemImageInline(_Picture, ReadOnlyInline):
    model = OrderItemImage
    fields = ["position", "picture", "content_type", "size"]

    def get_readonly_fields(self, request, obj=None):
        return self.fields


@admin.register(OrderItemImage)
class OrderItemImageAdmin(_Picture, ReadOnlyAdmin):
    list_display = ["item", "position", "picture", "content_type", "size"]
    list_select_related = ["item"]
    fields = ["item", "position", "picture", "content_type", "size"]
    paginator = CappedCountPaginator
    show_full_result_count = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields


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
    """An item and its trade snapshot: read-only, as everywhere (a snapshot is never changed)."""

    list_display = ["order", "title", "quantity", "unit_price"]
    list_select_related = ["order"]
    search_fields = ["=order__number", "title"]
    inlines = [OrderItemImageInline]
    paginator = CappedCountPaginator
    show_full_result_count = False
