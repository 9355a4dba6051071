from django.contrib import admin

from core.admin import ReadOnlyAdmin, ReadOnlyInline
from core.roles import is_supervisor
from merchants.models import Product, ReturnAddress, Shop, ShopStaff


class ShopStaffInline(ReadOnlyInline):
    model = ShopStaff


class ReturnAddressInline(ReadOnlyInline):
    model = ReturnAddress


@admin.register(Shop)
class ShopAdmin(ReadOnlyAdmin):
    list_display = ["name", "dispute_cases", "seller_level", "ranking_score", "restricted_until"]
    list_filter = ["seller_level"]
    search_fields = ["name"]
    inlines = [ShopStaffInline, ReturnAddressInline]
    change_form_template = "admin/merchants/shop/change_form.html"

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # The adjustment itself is the penalties app's (admin:penalties_penaltyrecord_adjust).
        extra_context = {**(extra_context or {}), "may_adjust_points": is_supervisor(request.user)}
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(ShopStaff)
class ShopStaffAdmin(ReadOnlyAdmin):
    list_display = ["user", "shop", "is_owner", "joined_at"]
    list_select_related = ["user", "shop"]


@admin.register(Product)
class ProductAdmin(ReadOnlyAdmin):
    list_display = ["title", "shop", "price", "is_published", "created_at"]
    list_filter = ["is_published"]
    list_select_related = ["shop"]
    search_fields = ["title", "shop__name"]


@admin.register(ReturnAddress)
class ReturnAddressAdmin(ReadOnlyAdmin):
    list_display = ["shop", "name", "phone", "region", "address", "is_default"]
    list_filter = ["is_default"]
    list_select_related = ["shop"]
    search_fields = ["shop__name"]
