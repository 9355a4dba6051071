from django.contrib import admin

from orders.models import Order, OrderItem


class OrderItemInline(admin.TabularInline):
    model = OrderItem
    extra = 0
    readonly_fields = ["product", "title", "quantity", "unit_price"]
    can_delete = False


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = ["number", "buyer", "shop", "state", "total", "refunded_amount", "created_at"]
    list_filter = ["state"]
    list_select_related = ["buyer", "shop"]
    search_fields = ["number", "buyer__username", "shop__name"]
    # State and money move only through the services.
    readonly_fields = [f.name for f in Order._meta.fields]
    inlines = [OrderItemInline]

    def has_add_permission(self, request):
        return False


@admin.register(OrderItem)
class OrderItemAdmin(admin.ModelAdmin):
    list_display = ["order", "title", "quantity", "unit_price"]
    list_select_related = ["order"]
    search_fields = ["order__number", "title"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False
