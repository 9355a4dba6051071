"""退货地址: the shop's return addresses — list, add, edit, delete, make one the default. A return
the shop approves goes to the default (copied onto the request, so editing here later never
moves a parcel already on its way)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.pages import form_page, form_status, post_action
from merchants import services
from merchants.selectors import return_addresses_of
from seller.forms import ReturnAddressForm
from seller.views.common import staff_shop


@login_required
def return_addresses(request):
    shop = staff_shop(request)
    return render(
        request,
        "seller/return_addresses.html",
        {"shop": shop, "addresses": list(return_addresses_of(shop.pk)), "section": "addresses"},
    )


def _form_page(request, form, context: dict):
    return render(
        request,
        "seller/return_address_form.html",
        {**context, "form": form, "section": "addresses"},
        status=form_status(request, form),
    )


@login_required
def return_address_create(request):
    shop = staff_shop(request)
    form = ReturnAddressForm(request.POST or None)
    return form_page(
        request,
        form,
        action=lambda data: services.return_address_add(
            shop=shop,
            name=data["name"],
            phone=data["phone"],
            region=data["region"],
            address=data["address"],
            make_default=data["make_default"],
        ),
        success=_("The return address is saved."),
        to=lambda _address: reverse("seller-return-addresses"),
        page=lambda: _form_page(request, form, {"shop": shop}),
    )


@login_required
def return_address_edit(request, pk: int):
    shop = staff_shop(request)
    address = get_object_or_404(return_addresses_of(shop.pk), pk=pk)
    form = ReturnAddressForm(
        request.POST or None,
        initial={
            "name": address.name,
            "phone": address.phone,
            "region": address.region,
            "address": address.address,
            "make_default": address.is_default,
        },
    )
    return form_page(
        request,
        form,
        action=lambda data: services.return_address_update(
            return_address=address,
            name=data["name"],
            phone=data["phone"],
            region=data["region"],
            address=data["address"],
            make_default=data["make_default"],
        ),
        success=_("The return address is saved."),
        to=lambda _address: reverse("seller-return-addresses"),
        page=lambda: _form_page(request, form, {"shop": shop, "address": address}),
    )


@login_required
@require_POST
def return_address_make_default(request, pk: int):
    shop = staff_shop(request)
    address = get_object_or_404(return_addresses_of(shop.pk), pk=pk)
    return post_action(
        request,
        lambda: services.return_address_make_default(return_address=address),
        success=_("New returns go to this address now."),
        redirect_to=reverse("seller-return-addresses"),
    )


@login_required
@require_POST
def return_address_delete(request, pk: int):
    shop = staff_shop(request)
    address = get_object_or_404(return_addresses_of(shop.pk), pk=pk)
    return post_action(
        request,
        # The service answers the new default, or None: post_action needs a result either way.
        lambda: services.return_address_delete(return_address=address) or address,
        success=_("The return address is deleted."),
        redirect_to=reverse("seller-return-addresses"),
    )
