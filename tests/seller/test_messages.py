"""The shop's 协商历史 on its request page: the buyer's messages and photos, the shop's own, the
form to write one, and what a refusal keeps."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from disputes import services as ds
from disputes.models import Message
from tests.security.images import image_bytes, upload
from tests.seller.conftest import client_for

pytestmark = pytest.mark.django_db


def _photo():
    return upload(image_bytes(), "p.png")


def _page(client, refund) -> str:
    answer = client.get(reverse("seller-refund", args=[refund.pk]))
    assert answer.status_code == 200
    return answer.content.decode()


def test_the_shop_reads_the_buyers_message_and_photo(wf, merchant_client):
    refund = wf.refund("requested")
    message = ds.refund_message_write(
        refund=refund, actor=wf.buyer, text="吊牌在这里", images=[_photo()]
    )

    page = _page(merchant_client, refund)

    history = page[page.index('id="history"') :]
    assert "协商历史" in history
    assert "买家</strong> · 留言" in history
    assert "吊牌在这里" in history
    photo_url = reverse("message-image-file", args=[message.images.get().pk])
    assert f'src="{photo_url}"' in history
    assert merchant_client.get(photo_url).status_code == 200


def test_the_shop_writes_and_the_buyer_is_told(wf, merchant_client):
    refund = wf.refund("requested")

    answer = merchant_client.post(
        reverse("seller-refund-message", args=[refund.pk]),
        {"text": "可以换一件新的。", "image": [_photo()]},
    )

    assert answer.status_code == 302
    message = Message.objects.get()
    assert (message.party, message.author) == ("merchant", wf.merchant)
    assert wf.buyer.notifications.filter(kind="refund_message").exists()
    assert "可以换一件新的。" in _page(merchant_client, refund)


def test_a_refused_message_keeps_its_text(wf, merchant_client):
    refund = wf.refund("requested")

    answer = merchant_client.post(
        reverse("seller-refund-message", args=[refund.pk]),
        {"text": "坏图", "image": [upload(b"not an image", "x.png")]},
    )

    assert answer.status_code == 400
    page = answer.content.decode()
    assert "坏图</textarea>" in page
    assert "不是可识别的图片" in page
    assert not Message.objects.exists()


def test_another_shop_gets_404(wf, rival):
    refund = wf.refund("requested")

    answer = client_for(rival).post(
        reverse("seller-refund-message", args=[refund.pk]), {"text": "hi"}
    )

    assert answer.status_code == 404
    assert not Message.objects.exists()


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_history_runs_the_same_queries_for_1_and_50_messages(wf, merchant_client):
    refund = wf.refund("requested")
    ds.refund_message_write(refund=refund, actor=wf.buyer, text="one", images=[_photo()])
    url = reverse("seller-refund", args=[refund.pk])
    one = _queries(merchant_client, url)
    for n in range(49):
        actor = wf.merchant if n % 2 else wf.buyer
        ds.refund_message_write(refund=refund, actor=actor, text=f"m{n}", images=[_photo()])

    assert _queries(merchant_client, url) == one
    assert _page(merchant_client, refund).count('class="said ') == 50
