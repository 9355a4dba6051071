"""The admin's sidebar and the ruling form's hint read in the agent's language."""

from __future__ import annotations

import pytest

from tests.admin.conftest import admin_path

pytestmark = pytest.mark.django_db


def test_the_sidebar_names_the_apps_and_models_in_chinese_and_in_english(client_for, supervisor):
    client = client_for(supervisor)

    chinese = client.get(admin_path(), HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    english = client.get(admin_path(), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    for words in ("售后与纠纷", "售后申请", "平台介入", "平台判定", "申诉", "违规扣分", "店铺限制"):
        assert words in chinese, words
    for words in ("Refund requests", "Interventions", "Penalty records", "Disputes"):
        assert words not in chinese, words
    for words in ("After-sales and disputes", "After-sales requests", "Platform interventions"):
        assert words in english, words


def test_the_ruling_forms_points_hint_is_in_chinese(client_for, agent, wf):
    case = wf.intervention("under_review")

    form = client_for(agent).get(admin_path(f"disputes/intervention/{case.pk}/rule/"))

    assert "仅在商家有责时扣分" in form.content.decode()
    assert "The rules give" not in form.content.decode()


def test_the_notification_list_shows_each_text_in_words(admin_client, wf):
    wf.refund("rejected")

    page = admin_client.get(admin_path("core/notification/"), HTTP_ACCEPT_LANGUAGE="zh-CN")

    assert "的退款申请：“Used item”" in page.content.decode()
    assert "%(reason)s" not in page.content.decode()
