"""Return addresses and couriers through the API: the shop's addresses for its staff, the
request's copy of the address and the courier of the return."""

from __future__ import annotations

import pytest
from django.urls import reverse

from disputes.models import RefundKind
from merchants.models import ReturnAddress
from tests import factories

pytestmark = pytest.mark.django_db

TYPED = {
    "name": "王仓管",
    "phone": "13800138000",
    "region": "浙江省 杭州市",
    "address": "文一西路 1 号",
}


def _list_url(shop) -> str:
    return reverse("api-shop-return-addresses", args=[shop.pk])


def _url(address) -> str:
    return reverse("api-shop-return-address", args=[address.shop_id, address.pk])


def test_the_merchant_reads_adds_changes_and_deletes_the_shops_addresses(
    client_for, merchant, shop
):
    api = client_for(merchant)
    first = ReturnAddress.objects.get(shop=shop)

    added = api.post(_list_url(shop), {**TYPED, "is_default": True}, format="json")
    assert added.status_code == 201
    assert added.json() | {"id": 0, "created_at": ""} == {
        "id": 0,
        **TYPED,
        "is_default": True,
        "created_at": "",
    }

    listed = api.get(_list_url(shop)).json()
    assert [(a["name"], a["is_default"]) for a in listed] == [("王仓管", True), ("Wang Li", False)]

    changed = api.patch(_url(first), {"phone": "021-5555 6666", "is_default": True}, format="json")
    assert changed.status_code == 200
    assert (changed.json()["phone"], changed.json()["is_default"]) == ("021-5555 6666", True)
    assert changed.json()["address"] == "8 Cangqian Street, returns depot"  # kept

    assert api.delete(_url(first)).status_code == 204
    assert [a["is_default"] for a in api.get(_list_url(shop)).json()] == [True]


def test_a_wrong_phone_is_a_400_naming_the_field_and_code(client_for, merchant, shop):
    answer = client_for(merchant).post(_list_url(shop), {**TYPED, "phone": "x"}, format="json")

    assert answer.status_code == 400
    assert answer.json()["code"] == "return_phone_invalid"
    assert "phone" in answer.json()


def test_only_the_shops_staff_see_its_addresses(client_for, buyer, shop):
    rival = factories.make_merchant(username="rival")
    address = ReturnAddress.objects.get(shop=shop)

    assert client_for(None).get(_list_url(shop)).status_code == 401
    assert client_for(buyer).get(_list_url(shop)).status_code == 403
    assert client_for(rival).get(_list_url(shop)).status_code == 403
    assert client_for(rival).delete(_url(address)).status_code == 403
    assert ReturnAddress.objects.filter(pk=address.pk).exists()


def test_another_shops_address_under_this_shops_path_is_404(client_for, merchant, shop):
    other = ReturnAddress.objects.get(shop=factories.ShopFactory())
    url = reverse("api-shop-return-address", args=[shop.pk, other.pk])

    assert client_for(merchant).delete(url).status_code == 404


def test_approving_without_an_address_is_a_409_with_its_code(wf, client_for, merchant, shop):
    ReturnAddress.objects.filter(shop=shop).delete()
    refund = wf.file(wf.order("delivered"), kind=RefundKind.RETURN_AND_REFUND)

    answer = client_for(merchant).post(reverse("api-refund-approve", args=[refund.pk]))

    assert answer.status_code == 409
    assert answer.json()["code"] == "no_return_address"


def test_the_buyer_ships_with_a_courier_and_reads_where_it_goes(wf, client_for, buyer):
    refund = wf.refund("awaiting_return")
    api = client_for(buyer)

    before = api.get(reverse("api-refund-detail", args=[refund.pk])).json()
    shipped = api.post(
        reverse("api-refund-ship-return", args=[refund.pk]),
        {"courier": "jd", "tracking_number": "JD0001"},
        format="json",
    )

    assert before["return_address"]["address"] == "8 Cangqian Street, returns depot"
    assert before["return_courier"] is None
    assert "ship-return" in before["available_actions"]
    assert shipped.status_code == 200
    assert (shipped.json()["return_courier"], shipped.json()["return_tracking_number"]) == (
        "jd",
        "JD0001",
    )


def test_a_courier_off_the_list_is_a_400_and_one_left_out_reads_as_other(wf, client_for, buyer):
    api = client_for(buyer)
    refund = wf.refund("awaiting_return")
    url = reverse("api-refund-ship-return", args=[refund.pk])

    refused = api.post(url, {"courier": "dhl", "tracking_number": "D1"}, format="json")
    # a client written before couriers (SPEC §8: `{tracking_number, courier?}`)
    shipped = api.post(url, {"tracking_number": "D1"}, format="json")

    assert refused.status_code == 400 and "courier" in refused.json()
    assert shipped.json()["return_courier"] == "other"


def test_the_schema_documents_the_addresses_and_the_courier(client_for):
    schema = client_for(None).get("/api/schema/", HTTP_ACCEPT="application/json").json()

    paths = schema["paths"]
    assert set(paths["/api/v1/shops/{id}/return-addresses/"]) >= {"get", "post"}
    assert set(paths["/api/v1/shops/{id}/return-addresses/{address_id}/"]) >= {"patch", "delete"}
    ship = schema["components"]["schemas"]["RefundShipReturnRequest"]["properties"]
    assert "courier" in ship
    refund = schema["components"]["schemas"]["Refund"]["properties"]
    assert {"return_address", "return_courier"} <= set(refund)
