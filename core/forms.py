"""Page forms for accounts. Forms only parse; the rules (name taken, password strength) are the
service's, shown beside the field they concern."""

from __future__ import annotations

from django import forms
from django.contrib.auth import forms as auth_forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.errors import CoreErrorCode
from core.money import money_from_text
from core.services import password_reset_request


class MoneyField(forms.DecimalField):
    """An amount in yuan, read strictly (core.money): "1_0" or full-width "１００" is refused,
    not read as 10 or 100. Spaces around it are dropped, as from any typed field."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 12)
        super().__init__(decimal_places=2, **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        amount = money_from_text(str(value).strip())
        if amount is None:
            code = CoreErrorCode.AMOUNT_NOT_A_NUMBER
            raise forms.ValidationError(code.message, code=code.value)
        return amount


class SignupForm(forms.Form):
    username = forms.CharField(label=_("User name"), max_length=150)
    email = forms.EmailField(label=_("E-mail (optional)"), required=False)
    password = forms.CharField(
        label=_("Password"), widget=forms.PasswordInput(render_value=False), strip=False
    )
    password_again = forms.CharField(
        label=_("Password again"), widget=forms.PasswordInput(render_value=False), strip=False
    )

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("password_again"):
            self.add_error("password_again", _("The two passwords differ."))
        return data


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's form, whose e-mail is the platform's: queued in the outbox and sent by a worker
    in the asker's language, only to an address its account proved, and at most so many per
    account (core.services.password_reset_request)."""

    def save(self, **kwargs) -> None:
        password_reset_request(email=self.cleaned_data["email"], language=get_language())
