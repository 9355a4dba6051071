"""The seller center's return addresses page, and what the request page says about them."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from merchants.models import ReturnAddress
from tests import factories
from tests.seller.conftest import client_for

TYPED = {
    "name": "王仓管",
    "phone": "13800138000",
    "region": "浙江省 杭州市",
    "address": "文一西路 1 号",
}


def test_the_seller_navigation_links_to_the_return_addresses(merchant_client):
    page = merchant_client.get(reverse("seller-queue")).content.decode()

    assert f'href="{reverse("seller-return-addresses")}"' in page
    assert "退货地址" in page


def test_an_address_is_added_edited_made_default_and_deleted(merchant_client, shop):
    # given the shop's address from the factory, the default
    first = ReturnAddress.objects.get(shop=shop)

    # when a second is added as the default
    response = merchant_client.post(
        reverse("seller-return-address-create"), {**TYPED, "make_default": "on"}
    )
    assert response.status_code == 302
    second = ReturnAddress.objects.get(shop=shop, name="王仓管")
    first.refresh_from_db()
    assert (second.is_default, first.is_default) == (True, False)

    # edited
    merchant_client.post(
        reverse("seller-return-address-edit", args=[second.pk]),
        {**TYPED, "address": "文一西路 2 号", "make_default": "on"},
    )
    second.refresh_from_db()
    assert second.address == "文一西路 2 号"

    # the first made the default again, from the list
    page = merchant_client.get(reverse("seller-return-addresses")).content.decode()
    assert "文一西路 2 号" in page and "设为默认" in page
    merchant_client.post(reverse("seller-return-address-default", args=[first.pk]))
    assert ReturnAddress.objects.get(shop=shop, is_default=True) == first

    # and deleted: the other one takes over
    response = merchant_client.post(reverse("seller-return-address-delete", args=[first.pk]))
    assert response.status_code == 302
    assert list(ReturnAddress.objects.filter(shop=shop, is_default=True)) == [second]
    assert "退货地址已删除。" in merchant_client.get(response["Location"]).content.decode()


def test_a_wrong_phone_is_refused_beside_the_field_and_what_was_typed_is_kept(
    merchant_client, shop
):
    response = merchant_client.post(
        reverse("seller-return-address-create"), {**TYPED, "phone": "打电话"}
    )

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["phone"]
    assert "文一西路 1 号" in response.content.decode()
    assert not ReturnAddress.objects.filter(shop=shop, name="王仓管").exists()


def test_another_shops_address_is_404(merchant_client):
    other = factories.ShopFactory()
    address = ReturnAddress.objects.get(shop=other)

    assert (
        merchant_client.get(reverse("seller-return-address-edit", args=[address.pk])).status_code
        == 404
    )
    response = merchant_client.post(reverse("seller-return-address-delete", args=[address.pk]))
    assert response.status_code == 404
    assert ReturnAddress.objects.filter(pk=address.pk).exists()


def test_a_shop_without_an_address_is_told_to_add_one_before_approving_a_return(
    wf, merchant_client, shop
):
    ReturnAddress.objects.filter(shop=shop).delete()
    refund = wf.file(wf.order("delivered"), kind="return_and_refund")
    url = reverse("seller-refund", args=[refund.pk])

    page = merchant_client.get(url).content.decode()

    assert "同意退货前，店铺需要有退货地址，买家才能寄回商品。" in page
    assert f'href="{reverse("seller-return-address-create")}"' in page
    assert reverse("seller-refund-approve", args=[refund.pk]) not in page
    # a post all the same is refused with the reason, and nothing moves
    response = merchant_client.post(reverse("seller-refund-approve", args=[refund.pk]))
    assert "还没有退货地址" in merchant_client.get(response["Location"]).content.decode()
    refund.refresh_from_db()
    assert refund.state == "requested"


def test_the_request_page_shows_where_the_return_goes_and_how_it_comes(wf, merchant_client):
    refund = wf.refund("return_shipped")

    page = merchant_client.get(reverse("seller-refund", args=[refund.pk])).content.decode()

    assert "8 Cangqian Street, returns depot" in page
    assert "圆通速递" in page and "YT9" in page


def test_the_approve_button_of_a_return_reads_approve_return(wf, merchant_client):
    refund = wf.file(wf.order("delivered"), kind="return_and_refund")

    page = merchant_client.get(reverse("seller-refund", args=[refund.pk])).content.decode()

    assert "同意退货" in page


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_the_addresses_page_runs_the_same_queries_for_1_and_50_addresses(merchant, shop):
    client = client_for(merchant)
    url = reverse("seller-return-addresses")
    one = _queries(client, url)
    factories.ReturnAddressFactory.create_batch(49, shop=shop, is_default=False)

    assert _queries(client, url) == one
    assert client.get(url).content.decode().count('class="product-row address-row"') == 50
