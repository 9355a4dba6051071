"""One vocabulary: the models' choice labels are the words of every face, read in the reader's
language — pages, the admin, the API docs and the notifications' texts (e-mails included)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation

from core.notices import Labelled, notice, notice_text
from disputes.models import RefundKind, RefundRequest, RefundState

RULED = "The platform ruled on refund #%(refund)s: %(outcome)s. %(rationale)s"


def test_a_notification_names_a_stored_code_by_its_models_choice_label_in_the_readers_language():
    outcome = Labelled("disputes.ruling.outcome", "merchant_wins")
    stored = notice(RULED, refund=7, outcome=outcome, rationale="")

    with translation.override("zh-hans"):
        chinese = notice_text(stored.msgid, stored.params)
    with translation.override("en"):
        english = notice_text(stored.msgid, stored.params)

    assert "支持商家,不予退款" in chinese
    assert english == "The platform ruled on refund #7: The shop wins. "


def test_a_notification_stored_with_the_former_word_groups_still_reads():
    params = {"refund": 7, "outcome": {"label": ["ruling_outcome", "buyer_full_refund"]}}
    params["rationale"] = ""

    with translation.override("zh-hans"):
        text = notice_text(RULED, params)

    assert "支持买家,全额退款" in text


def test_the_choice_labels_are_the_settled_marketplace_words():
    with translation.override("zh-hans"):
        assert [str(label) for label in RefundState.labels] == [
            "待商家处理",
            "待买家退货",
            "待商家收货",
            "商家已拒绝",
            "平台介入中",
            "退款成功",
            "已撤销",
            "退款关闭",
        ]
        assert [str(label) for label in RefundKind.labels] == ["仅退款", "退货退款"]
        refund = RefundRequest(state=RefundState.CANCELLED)
        assert refund.get_state_display() == "已撤销"


@pytest.mark.django_db
def test_the_api_docs_describe_an_enum_with_the_same_words():
    schema = Client().get("/api/schema/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Waiting for the shop" in schema
    assert "Return on its way" in schema
