from django.contrib import admin

from core.admin import ReadOnlyAdmin, ReadOnlyInline
from merchants.models import Product, Shop, ShopStaff


class ShopStaffInline(ReadOnlyInline):
    model = ShopStaff


@admin.register(Shop)
class ShopAdmin(ReadOnlyAdmin):
    list_display = ["name", "dispute_cases", "seller_level", "ranking_score", "restricted_until"]
    list_filter = ["seller_level"]
    search_fields = ["name"]
    inlines = [ShopStaffInline]


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
