"""Seller-center forms. They only parse what was typed; the services decide (a reason's length,
a restricted shop, an open window) and their refusals are shown beside the field they name."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.forms import MoneyField
from merchants.models import (
    MAX_PRODUCT_IMAGES,
    PRODUCT_DESCRIPTION_LENGTH,
    PRODUCT_SPECIFICATION_LENGTH,
)


class MultipleImageInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class ImagesField(forms.FileField):
    """Several images in one field; the service that stores them checks their number and
    content (core/images.py)."""

    widget = MultipleImageInput(attrs={"accept": "image/jpeg,image/png,image/webp"})

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        cleaned = []
        for upload in files:
            cleaned.append(super().clean(upload, initial))
        return cleaned


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for rejecting"), widget=forms.Textarea(attrs={"rows": 3})
    )
    images = ImagesField(label=_("Evidence (optional)"), required=False)


class OfferForm(forms.Form):
    """协商方案: less than asked, with or without the goods back; the service checks the
    amount against the request (disputes.policies.may_offer_terms)."""

    amount = MoneyField(label=_("Amount offered (¥)"))
    return_required = forms.BooleanField(label=_("The buyer sends the goods back"), required=False)
    message = forms.CharField(
        label=_("Message to the buyer"), widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, cap=None, **kwargs):
        super().__init__(*args, **kwargs)
        if cap is not None:  # what the browser can tell before the service does
            self.fields["amount"].widget.attrs.update({"max": cap, "min": "0.01", "step": "0.01"})


class EvidenceForm(forms.Form):
    statement = forms.CharField(
        label=_("Statement"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    images = ImagesField(label=_("Evidence"), required=False)


class AppealForm(forms.Form):
    statement = forms.CharField(
        label=_("Why the ruling should change (new information)"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    images = ImagesField(label=_("New evidence (optional)"), required=False)


class ShipForm(forms.Form):
    tracking_number = forms.CharField(label=_("Tracking number"), max_length=64)


class ProductForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    price = MoneyField(label=_("Price (¥)"))
    specification = forms.CharField(
        label=_("Specification"),
        max_length=PRODUCT_SPECIFICATION_LENGTH,
        required=False,
        help_text=_("For example: colour: black; size: L"),
    )
    description = forms.CharField(
        label=pgettext_lazy("product", "Description"),
        max_length=PRODUCT_DESCRIPTION_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    images = ImagesField(label=_("Add pictures"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["images"].help_text = _(
            "Up to %(limit)s pictures in all, JPEG, PNG or WebP; the first is the cover."
        ) % {"limit": MAX_PRODUCT_IMAGES}


class ReturnAddressForm(forms.Form):
    name = forms.CharField(label=_("Recipient"), max_length=50)
    phone = forms.CharField(
        label=_("Phone"), max_length=20, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )
    region = forms.CharField(
        label=_("Region"),
        max_length=100,
        help_text=_("Province, city and district, e.g. 浙江省 杭州市 余杭区"),
    )
    address = forms.CharField(label=_("Street address"), max_length=200)
    make_default = forms.BooleanField(
        label=_("Send new returns here (default address)"), required=False
    )
