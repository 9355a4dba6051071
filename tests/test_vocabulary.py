"""One vocabulary: the models' choice labels are the words of every face, read in the reader's
language — pages, the admin, the API docs and the notifications' texts (e-mails included)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation
from django_fsm import Transition

from core.models import AuditEntry, Notification
from core.notices import Labelled, notice, notice_text
from core.services import audit_record, notify
from core.vocabulary import action_words, check_action_words
from disputes.models import (
    RefundKind,
    RefundRequest,
    RefundState,
    is_refund_buyer,
    is_refund_merchant,
)

RULED = "The platform ruled on refund #%(refund)s: %(outcome)s. %(rationale)s"


def test_a_notification_names_a_stored_code_by_its_models_choice_label_in_the_readers_language():
    outcome = Labelled("disputes.ruling.outcome", "merchant_wins")
    stored = notice(RULED, refund=7, outcome=outcome, rationale="")

    with translation.override("zh-hans"):
        chinese = notice_text(stored.msgid, stored.params)
    with translation.override("en"):
        english = notice_text(stored.msgid, stored.params)

    assert "支持商家，不予退款" in chinese
    assert english == "The platform ruled on refund #7: The shop wins. "


def test_a_notification_stored_with_the_former_word_groups_still_reads():
    params = {"refund": 7, "outcome": {"label": ["ruling_outcome", "buyer_full_refund"]}}
    params["rationale"] = ""

    with translation.override("zh-hans"):
        text = notice_text(RULED, params)

    assert "支持买家，全额退款" in text


def test_the_choice_labels_are_the_settled_marketplace_words():
    with translation.override("zh-hans"):
        assert [str(label) for label in RefundState.labels] == [
            "待商家处理",
            "待买家退货",
            "待商家收货",
            "商家已拒绝",
            "待买家确认方案",
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


def _with_transition(monkeypatch, transition):
    """RefundRequest as if it declared one more transition."""
    field = RefundRequest._meta.get_field("state")
    declared = list(field.get_all_transitions(RefundRequest))
    original = type(field).get_all_transitions

    def get_all_transitions(self, cls):
        if cls is RefundRequest:
            return iter([*declared, transition])
        return original(self, cls)

    monkeypatch.setattr(type(field), "get_all_transitions", get_all_transitions)


def reopen(refund):
    """A transition someone adds (its name is all the check reads)."""


def test_every_transition_and_every_audited_action_has_its_words():
    assert check_action_words() == []


def test_a_transition_added_without_words_fails_the_check(monkeypatch):
    _with_transition(
        monkeypatch,
        Transition(
            method=reopen,
            source=RefundState.CLOSED,
            target=RefundState.REQUESTED,
            on_error=None,
            conditions=[],
            permission=is_refund_buyer,
            custom={"update_fields": ["deadline"]},
        ),
    )

    problems = [error.msg for error in check_action_words()]

    assert len(problems) == 1
    assert problems[0].startswith("RefundRequest.reopen has no words")


def test_one_action_name_given_two_sets_of_words_fails_the_check(monkeypatch):
    _with_transition(
        monkeypatch,
        Transition(
            method=RefundRequest.approve,
            source=RefundState.REJECTED,
            target=RefundState.REFUNDED,
            on_error=None,
            conditions=[],
            permission=is_refund_merchant,
            custom={"label": "Approved at last"},
        ),
    )

    assert "'approve' is named 'Approved at last' here" in check_action_words()[0].msg


def test_a_transitions_words_are_what_timelines_the_admin_and_diagrams_read():
    words = RefundRequest.approve._django_fsm.transitions[RefundState.REQUESTED].custom["label"]
    entry = AuditEntry(action="approve")

    with translation.override("zh-hans"):
        assert entry.get_action_display() == str(words) == "商家同意退款"
        assert dict(AuditEntry._meta.get_field("action").flatchoices)["approve"] == words
        assert str(action_words("approve")) == "商家同意退款"
        # An action audited outside a transition, declared by the app that audits it.
        assert AuditEntry(action="restrict").get_action_display() == "店铺限制中"


def test_a_shops_approval_reads_as_what_it_agreed_to_a_refund_or_a_return():
    with translation.override("zh-hans"):
        refunded = AuditEntry(action="approve", to_state=RefundState.REFUNDED)
        returning = AuditEntry(action="approve", to_state=RefundState.AWAITING_RETURN)
        assert refunded.get_action_display() == "商家同意退款"
        assert returning.get_action_display() == "商家同意退货"
    with translation.override("en"):
        assert returning.get_action_display() == "The shop approved the return"


@pytest.mark.django_db
def test_an_action_or_a_notification_kind_nobody_gave_words_is_refused_before_it_is_written(
    shop, buyer
):
    with pytest.raises(LookupError, match="'reopen' has no words"):
        audit_record(target=shop, action="reopen", actor=None)
    with pytest.raises(LookupError, match="'parcel_lost' has no headline"):
        notify(recipients=[buyer], kind="parcel_lost", message=notice("Lost"), target=shop)

    assert not AuditEntry.objects.exists()
    assert not Notification.objects.exists()


def test_a_notifications_headline_is_declared_by_the_app_that_sends_it():
    with translation.override("zh-hans"):
        assert Notification(kind="refund_filed").get_kind_display() == "新的售后申请"
        assert Notification(kind="penalty").get_kind_display() == "扣分"
