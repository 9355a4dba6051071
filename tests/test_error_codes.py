"""Every declared refusal reads whole in the reader's language, with its values filled in."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.apps import apps
from django.utils import translation
from django.utils.translation import gettext_lazy

from core.errors import (
    CoreErrorCode,
    DomainError,
    ErrorCode,
    InvalidInput,
    PermissionDenied,
    TransitionNotAllowed,
)
from disputes.errors import DisputeErrorCode
from disputes.models import RefundState
from merchants.errors import MerchantErrorCode
from orders.errors import OrderErrorCode
from penalties.errors import PenaltyErrorCode

DOMAIN_ENUMS = (
    CoreErrorCode,
    MerchantErrorCode,
    OrderErrorCode,
    PenaltyErrorCode,
    DisputeErrorCode,
)
ALL_CODES = [code for enum in DOMAIN_ENUMS for code in enum]

MOMENT = datetime(2026, 6, 1, 2, 30, tzinfo=UTC)  # 10:30 in Shanghai, the site's time zone
# A sample value for each placeholder name, and how it must read once filled in.
SAMPLES = {
    "at": (MOMENT, "2026-06-01 10:30"),
    "until": (MOMENT, "2026-06-01 10:30"),
    "amount": (Decimal("12.5"), "12.50"),
    "refundable": (Decimal("88"), "88.00"),
    "asked": (Decimal("39.9"), "39.90"),
    "state": (RefundState.REFUNDED.label, None),  # the model's own word, whatever it reads
    "what": (gettext_lazy("The reason"), "理由"),
    "shop": ("天 Flagship", "天 Flagship"),
    "name": ("photo.gif", "photo.gif"),
    "format": ("GIF", "GIF"),
    "reasons": ("密码太短。", "密码太短。"),
    "min": (3, "3"),
    "max": (30, "30"),
    "limit": (64, "64"),
    "given": (4, "4"),
    "points": (7, "7"),
    "days": (15, "15"),
    "megabytes": (10, "10"),
    "megapixels": (40, "40"),
}
HAN = re.compile(r"[\u4e00-\u9fff]")
HALF_WIDTH_PUNCTUATION = re.compile(r"[,:;?()]")


def _english(code: ErrorCode) -> str:
    with translation.override("en"):
        return str(code.message)


def _sample_params(code: ErrorCode) -> dict:
    return {name: SAMPLES[name][0] for name in re.findall(r"%\((\w+)\)s", _english(code))}


@pytest.mark.parametrize("code", ALL_CODES, ids=str)
def test_every_refusal_reads_in_chinese_with_every_value_filled(code):
    params = _sample_params(code)

    with translation.override("zh-hans"):
        message = DomainError(code, params).message
        state_word = str(SAMPLES["state"][0])

    assert HAN.search(message), message
    assert message != _english(code) % params, "no Chinese translation"
    assert "%(" not in message
    for name in params:
        shown = SAMPLES[name][1] or state_word
        assert shown in message, (name, message)
    words_only = message
    for name in params:
        words_only = words_only.replace(SAMPLES[name][1] or state_word, "")
    assert not HALF_WIDTH_PUNCTUATION.search(words_only), message


def test_every_domain_declares_its_codes_in_one_enum_and_no_code_twice():
    assert set(ErrorCode.__subclasses__()) == set(DOMAIN_ENUMS)
    assert len({str(code) for code in ALL_CODES}) == len(ALL_CODES)


def test_a_refusal_is_of_the_kind_its_code_declares():
    assert isinstance(DomainError(DisputeErrorCode.APPEAL_WINDOW_CLOSED), TransitionNotAllowed)
    assert isinstance(DomainError(MerchantErrorCode.SHOP_RESTRICTED), PermissionDenied)
    assert isinstance(DomainError(OrderErrorCode.TRACKING_NUMBER_REQUIRED), InvalidInput)
    with pytest.raises(TypeError):
        InvalidInput(MerchantErrorCode.SHOP_RESTRICTED)


def test_a_refusal_is_put_into_words_when_read_not_when_raised():
    with translation.override("zh-hans"):
        error = DomainError(DisputeErrorCode.APPEAL_WINDOW_CLOSED, {"at": MOMENT})

    with translation.override("en"):
        assert error.message == "The appeal window closed at 2026-06-01 10:30."
    with translation.override("zh-hans"):
        assert error.message == "申诉期限已于 2026-06-01 10:30 截止。"


def test_every_guard_of_every_state_machine_declares_its_refusal():
    guards = {
        condition
        for model in apps.get_models()
        for name in dir(model)
        if hasattr(getattr(model, name, None), "_django_fsm")
        for transition in getattr(model, name)._django_fsm.transitions.values()
        for condition in transition.conditions
    }

    assert guards
    assert all(isinstance(getattr(g, "refusal", None), ErrorCode) for g in guards), guards
