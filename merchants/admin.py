from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyAdmin, ReadOnlyInline
from core.roles import is_supervisor
from merchants.models import Product, ProductImage, ReturnAddress, Shop, ShopStaff


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


class _Picture:
    @admin.display(description=_("image"))
    def picture(self, image: ProductImage):
        url = reverse("product-image", args=[image.served_name])
        return format_html(
            '<a href="{}"><img src="{}" alt="" width="96" height="96"></a>', url, url
        )


class ProductImageInline(_Picture, ReadOnlyInline):
    model = ProductImage
    fields = ["position", "picture", "content_type", "size"]

    def get_readonly_fields(self, request, obj=None):
        return self.fields


@admin.register(ProductImage)
class ProductImageAdmin(_Picture, ReadOnlyAdmin):
    list_display = ["product", "position", "picture", "content_type", "size"]
    list_select_related = ["product"]
    fields = ["product", "position", "picture", "content_type", "size"]

    def get_readonly_fields(self, request, obj=None):
        return self.fields


@admin.register(Product)
class ProductAdmin(ReadOnlyAdmin):
    list_display = ["title", "shop", "price", "is_published", "created_at"]
    list_filter = ["is_published"]
    list_select_related = ["shop"]
    search_fields = ["title", "shop__name"]
    inlines = [ProductImageInline]


@admin.register(ReturnAddress)
class ReturnAddressAdmin(ReadOnlyAdmin):
    list_display = ["shop", "name", "phone", "region", "address", "is_default"]
    list_filter = ["is_default"]
    list_select_related = ["shop"]
    search_fields = ["shop__name"]
