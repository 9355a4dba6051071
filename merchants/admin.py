from django.contrib import admin

from merchants.models import Product, Shop, ShopStaff


class ShopStaffInline(admin.TabularInline):
    model = ShopStaff
    raw_id_fields = ["user"]
    extra = 0


@admin.register(Shop)
class ShopAdmin(admin.ModelAdmin):
    list_display = ["name", "dispute_cases", "seller_level", "ranking_score", "restricted_until"]
    list_filter = ["seller_level"]
    search_fields = ["name"]
    readonly_fields = ["dispute_cases", "seller_level", "ranking_score", "restricted_until"]
    inlines = [ShopStaffInline]


@admin.register(ShopStaff)
class ShopStaffAdmin(admin.ModelAdmin):
    list_display = ["user", "shop", "is_owner", "joined_at"]
    list_select_related = ["user", "shop"]
    raw_id_fields = ["user"]


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["title", "shop", "price", "is_published", "created_at"]
    list_filter = ["is_published"]
    list_select_related = ["shop"]
    search_fields = ["title", "shop__name"]
