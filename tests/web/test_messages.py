"""The buyer's 协商历史 on 售后详情: the shop's and the platform's messages with their photos
beside the request's steps, the form to write one, and what a refusal keeps."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from disputes import services as ds
from disputes.models import Message
from tests import factories
from tests.web.test_buyer_pages import client_for, png

pytestmark = pytest.mark.django_db


def _page(client, refund) -> str:
    answer = client.get(reverse("refund-detail", args=[refund.pk]))
    assert answer.status_code == 200
    return answer.content.decode()


def test_the_buyer_reads_the_shops_message_and_its_photo_in_the_history(now_wf, buyer_client):
    refund = now_wf.refund("requested")
    message = ds.refund_message_write(
        refund=refund, actor=now_wf.merchant, text="请拍一下吊牌", images=[png()]
    )

    page = _page(buyer_client, refund)

    photo_url = reverse("message-image-file", args=[message.images.get().pk])
    history = page[page.index('id="history"') :]
    assert "协商历史" in history
    assert "店铺</strong> · 留言" in history
    assert "请拍一下吊牌" in history
    assert f'src="{photo_url}"' in history
    assert buyer_client.get(photo_url).status_code == 200
    # the step that filed the request comes before the message written after it
    assert history.index("买家申请售后") < history.index("请拍一下吊牌")


def test_the_buyer_writes_a_message_with_a_photo_and_the_shop_is_told(now_wf, buyer_client):
    refund = now_wf.refund("requested")
    url = reverse("refund-message", args=[refund.pk])

    answer = buyer_client.post(url, {"text": "拉链坏了，见照片。", "image": [png()]})

    assert answer.status_code == 302
    assert answer["Location"] == reverse("refund-detail", args=[refund.pk]) + "#history"
    message = Message.objects.get()
    assert (message.party, message.text, message.images.count()) == (
        "buyer",
        "拉链坏了，见照片。",
        1,
    )
    followed = buyer_client.get(answer["Location"]).content.decode()
    assert "留言已发送。" in followed
    assert "拉链坏了，见照片。" in followed
    assert now_wf.merchant.notifications.filter(kind="refund_message").exists()


def test_a_refused_message_keeps_its_text_and_says_what_went_wrong(now_wf, buyer_client):
    refund = now_wf.refund("requested")
    url = reverse("refund-message", args=[refund.pk])

    answer = buyer_client.post(url, {"text": "四张照片", "image": [png() for _ in range(4)]})

    assert answer.status_code == 400
    page = answer.content.decode()
    assert "四张照片</textarea>" in page
    assert "每条留言最多 3 张照片。" in page
    assert not Message.objects.exists()


def test_an_empty_message_is_refused_in_place(now_wf, buyer_client):
    refund = now_wf.refund("requested")

    answer = buyer_client.post(reverse("refund-message", args=[refund.pk]), {"text": "  "})

    assert answer.status_code == 400
    assert "请写下留言或附上照片。" in answer.content.decode()


def test_a_finished_request_shows_its_messages_but_no_form(now_wf, buyer, buyer_client):
    refund = now_wf.refund("requested")
    ds.refund_message_write(refund=refund, actor=buyer, text="before the end")
    ds.refund_cancel(refund=refund, actor=buyer)

    page = _page(buyer_client, refund)
    refused = buyer_client.post(reverse("refund-message", args=[refund.pk]), {"text": "late"})

    assert "before the end" in page
    assert 'id="message-form"' not in page
    assert refused.status_code == 409
    assert "售后已结束，不能再留言。" in refused.content.decode()
    assert Message.objects.count() == 1


def test_another_buyer_can_neither_write_nor_read(now_wf):
    refund = now_wf.refund("requested")
    stranger = client_for(factories.UserFactory(username="stranger"))

    assert (
        stranger.post(reverse("refund-message", args=[refund.pk]), {"text": "x"}).status_code == 404
    )
    assert not Message.objects.exists()


def test_the_english_page_reads_in_english(now_wf, buyer):
    refund = now_wf.refund("requested")
    ds.refund_message_write(refund=refund, actor=now_wf.merchant, text="Photo of the tag please")

    page = _page(client_for(buyer, "en-US"), refund)

    assert "History" in page
    assert "Shop</strong> · Message" in page
    assert "Write to the shop" in page
    assert "Send message" in page


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_history_runs_the_same_queries_for_1_and_50_messages(now_wf, buyer_client):
    refund = now_wf.refund("requested")
    ds.refund_message_write(refund=refund, actor=now_wf.buyer, text="one", images=[png()])
    url = reverse("refund-detail", args=[refund.pk])
    one = _queries(buyer_client, url)
    for n in range(49):
        actor = now_wf.merchant if n % 2 else now_wf.buyer
        ds.refund_message_write(refund=refund, actor=actor, text=f"m{n}", images=[png()])

    assert _queries(buyer_client, url) == one
    assert _page(buyer_client, refund).count('class="said ') == 50
