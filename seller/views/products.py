"""The shop's products: list, create, edit, publish and unpublish (creating or publishing is
refused by the services while the shop is restricted)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.pages import form_status, once, post_action, run_service
from merchants import services
from merchants.models import Product
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
            "products": shop.products.order_by("-created_at", "-pk"),
            "restricted": shop.is_restricted(),
            "section": "products",
        },
    )


@login_required
def product_create(request):
    shop = staff_shop(request)
    form = ProductForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with once(request) as done:
            if done.location:
                return redirect(done.location)
            product = run_service(
                request,
                lambda: services.product_create(shop=shop, **form.cleaned_data),
                form=form,
                success=_("The product is listed."),
            )
            if product is not None:
                done.location = reverse("seller-products")
                return redirect(done.location)
    return render(
        request,
        "seller/product_form.html",
        {"shop": shop, "form": form, "restricted": shop.is_restricted(), "section": "products"},
        status=form_status(request, form),
    )


@login_required
def product_edit(request, pk: int):
    shop = staff_shop(request)
    product = get_object_or_404(Product, pk=pk, shop=shop)
    form = ProductForm(
        request.POST or None, initial={"title": product.title, "price": product.price}
    )
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            request,
            lambda: services.product_update(product=product, **form.cleaned_data),
            form=form,
            success=_("The product is saved."),
        )
        if saved is not None:
            return redirect("seller-products")
    return render(
        request,
        "seller/product_form.html",
        {"shop": shop, "form": form, "product": product, "section": "products"},
        status=form_status(request, form),
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
