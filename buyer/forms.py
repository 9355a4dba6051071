"""Buyer page forms. They only parse what was typed; every rule (amount within what is
refundable, image format and count, windows) is the service's, and its refusal is shown
beside the field it names (core.pages.run_service)."""

from __future__ import annotations

from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from core.forms import MoneyField
from core.rules import get_rules
from disputes.models import Courier, RefundKind, RefundReason
from disputes.services.common import typed_text


class BuyForm(forms.Form):
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=99, initial=1)


class MultipleImageInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class ChosenPhotosBoundField(forms.BoundField):
    """A form sent back with a refusal cannot give its photos back (a browser refills no file
    input, and keeping unfiled uploads on the server is a store of strangers' files): its help
    says, in words beside the input, how many were chosen and to choose them again."""

    def __init__(self, form, field, name):
        super().__init__(form, field, name)
        chosen = sum(1 for f in form.files.getlist(self.html_name) if f) if form.is_bound else 0
        if chosen:
            again = ngettext(
                "The photo you chose was not saved: choose it again.",
                "The %(n)d photos you chose were not saved: choose them again.",
                chosen,
            ) % {"n": chosen}
            self.help_text = format_html("{} <strong>{}</strong>", self.help_text, again)


class ImagesField(forms.FileField):
    """Up to the rules' number of images in one input; their content is checked by the service
    (core/images.py), which names this field ("image") when it refuses one."""

    bound_field_class = ChosenPhotosBoundField

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget", MultipleImageInput(attrs={"accept": "image/jpeg,image/png,image/webp"})
        )
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not files and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return [super(ImagesField, self).clean(f, initial) for f in files]


class CountedTextBoundField(forms.BoundField):
    """A text's help ends with its limit, and once a text was sent with how much was written,
    counted as the service counts (`typed_text`): a refused form shows how much there is to
    cut. static/js/counter.js keeps those words up to date while typing (`data-count-words`)."""

    def __init__(self, form, field, name):
        super().__init__(form, field, name)
        limit = get_rules().max_text_length
        words = (
            _counted(len(typed_text(self.data)))
            if form.is_bound
            else _("At most %(n)d characters.") % {"n": limit}
        )
        self.help_text = format_html(
            "{}<span data-counter>{}</span>", f"{field.guide} " if field.guide else "", words
        )


def _counted(count) -> str:
    return _("At most %(n)d characters; %(count)s written.") % {
        "n": get_rules().max_text_length,
        "count": count,
    }


class CountedTextField(forms.CharField):
    """A text a person writes, up to the rules' length, with a `guide` to what to write. The
    length is the service's to refuse, in its own words (clean_text); the textarea's maxlength
    stops the typing there before."""

    bound_field_class = CountedTextBoundField

    def __init__(self, *, guide="", **kwargs):
        self.guide = guide
        limit = get_rules().max_text_length
        kwargs.setdefault(
            "widget",
            forms.Textarea(
                attrs={"rows": 4, "maxlength": limit, "data-count-words": _counted("{count}")}
            ),
        )
        super().__init__(**kwargs)


def _text_field(label, *, required: bool, guide="") -> forms.CharField:
    return CountedTextField(label=label, required=required, guide=guide)


def _images_help() -> str:
    return _("Up to %(n)d photos, JPEG, PNG or WebP, at most %(mb)d MB each.") % {
        "n": get_rules().max_evidence_per_party,
        "mb": get_rules().max_evidence_bytes // (1024 * 1024),
    }


class RefundForm(forms.Form):
    """申请售后: kind, reason, amount (prefilled with what is refundable), description, images."""

    kind = forms.ChoiceField(label=_("Type"), widget=forms.RadioSelect)
    reason = forms.ChoiceField(label=_("Reason"))
    amount = MoneyField(label=_("Refund amount (¥)"), max_digits=10, min_value=0.01)
    description = forms.CharField()
    image = ImagesField(label=_("Photos (evidence)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = RefundKind.choices
        self.fields["reason"].choices = [
            ("", _("Choose a reason")),
            *RefundReason.choices,
        ]
        self.fields["description"] = _text_field(_("Description"), required=False)
        self.fields["image"].help_text = _images_help()


class ReviseForm(RefundForm):
    """修改申请: the same as a new request, except the kind, which stays."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["kind"]


class EscalateForm(forms.Form):
    """申请平台介入: the buyer's statement (举证说明) and images."""

    statement = forms.CharField()
    image = ImagesField(label=_("Photos (evidence)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["statement"] = _text_field(
            _("Statement"),
            required=True,
            guide=_("Tell the platform what happened and what you ask for."),
        )
        self.fields["image"].help_text = _images_help()


class CaseEvidenceForm(EscalateForm):
    """More evidence while the intervention's evidence window is open."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["statement"].required = False
        self.fields["statement"].label = _("Statement (replaces your earlier one)")


class EvidenceForm(forms.Form):
    image = ImagesField(label=_("Photos (evidence)"), required=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["image"].help_text = _images_help()


class MessageForm(forms.Form):
    """留言: a text and up to the rules' number of photos (the service checks both)."""

    text = forms.CharField()
    image = ImagesField(label=_("Photos"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        rules = get_rules()
        self.fields["text"] = _text_field(pgettext_lazy("after-sales", "Message"), required=False)
        self.fields["text"].widget.attrs["rows"] = 3
        self.fields["image"].help_text = _(
            "Up to %(n)d photos on a message: JPEG, PNG or WebP, at most %(mb)d MB each."
        ) % {"n": rules.max_message_images, "mb": rules.max_evidence_bytes // (1024 * 1024)}


class ShipReturnForm(forms.Form):
    courier = forms.ChoiceField(
        label=_("Courier"), choices=[("", _("Choose a courier")), *Courier.choices], required=True
    )
    tracking_number = forms.CharField(label=_("Return tracking number"), max_length=64)
