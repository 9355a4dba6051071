"""The shop's products: list, create, edit, publish and unpublish (creating or publishing is
refused by the services while the shop is restricted)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.pages import form_page, form_status, post_action
from merchants import services
from merchants.models import Product, ProductImage
from merchants.selectors import with_images
from seller.forms import ProductForm
from seller.views.common import staff_shop


@login_required
def products(request):
    shop = staff_shop(request)
    return render(
        request,
        "seller/products.html",
        {
            "shop": shop,
            "products": with_images(shop.products.order_by("-created_at", "-pk")),
            "restricted": shop.is_restricted(),
            "section": "products",
        },
    )


def _product_form_page(request, form, context: dict):
    return render(
        request,
        "seller/product_form.html",
        {**context, "form": form, "section": "products"},
        status=form_status(request, form),
    )


@login_required
def product_create(request):
    shop = staff_shop(request)
    form = ProductForm(request.POST or None, request.FILES or None)
    return form_page(
        request,
        form,
        action=lambda data: services.product_create(shop=shop, **data),
        success=_("The product is listed."),
        to=lambda _product: reverse("seller-products"),
        page=lambda: _product_form_page(
            request, form, {"shop": shop, "restricted": shop.is_restricted()}
        ),
    )


@login_required
def product_edit(request, pk: int):
    shop = staff_shop(request)
    product = get_object_or_404(Product, pk=pk, shop=shop)
    form = ProductForm(
        request.POST or None,
        request.FILES or None,
        initial={
            "title": product.title,
            "price": product.price,
            "specification": product.specification,
            "description": product.description,
        },
    )
    return form_page(
        request,
        form,
        action=lambda data: services.product_update(product=product, **data),
        success=_("The product is saved."),
        to=lambda _product: reverse("seller-products"),
        page=lambda: _product_form_page(
            request,
            form,
            {"shop": shop, "product": product, "pictures": list(product.images.all())},
        ),
    )


def _own_image(request, pk: int, image_pk: int) -> ProductImage:
    return get_object_or_404(
        ProductImage, pk=image_pk, product_id=pk, product__shop=staff_shop(request)
    )


@login_required
@require_POST
def product_image_remove(request, pk: int, image_pk: int):
    image = _own_image(request, pk, image_pk)
    return post_action(
        request,
        lambda: services.product_remove_image(image=image),
        success=_("The picture is removed."),
        redirect_to=reverse("seller-product-edit", args=[pk]),
    )


@login_required
@require_POST
def product_image_move(request, pk: int, image_pk: int):
    image = _own_image(request, pk, image_pk)
    offset = -1 if request.POST.get("offset") == "-1" else 1
    return post_action(
        request,
        lambda: services.product_move_image(image=image, offset=offset),
        success=_("The pictures are reordered."),
        redirect_to=reverse("seller-product-edit", args=[pk]),
    )


@login_required
@require_POST
def product_publish(request, pk: int):
    shop = staff_shop(request)
    product = get_object_or_404(Product, pk=pk, shop=shop)
    return post_action(
        request,
        lambda: services.product_publish(product=product),
        success=_("The product is on sale."),
        redirect_to=reverse("seller-products"),
    )


@login_required
@require_POST
def product_unpublish(request, pk: int):
    shop = staff_shop(request)
    product = get_object_or_404(Product, pk=pk, shop=shop)
    return post_action(
        request,
        lambda: services.product_unpublish(product=product),
        success=_("The product is off sale."),
        redirect_to=reverse("seller-products"),
    )
