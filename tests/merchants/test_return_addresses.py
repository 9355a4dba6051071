"""A shop's return addresses (退货地址): at most one default, kept by the database and by the
services; the first becomes the default, a new default moves it, deleting it hands it on."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from core.errors import InvalidInput
from merchants import services
from merchants.models import ReturnAddress
from merchants.selectors import default_return_address
from tests import factories

TYPED = {
    "name": "王仓管",
    "phone": "13800138000",
    "region": "浙江省 杭州市",
    "address": "文一西路 1 号",
}


@pytest.fixture
def bare_shop(db):
    return factories.ShopFactory(return_address=None)


def _defaults(shop) -> list[str]:
    return list(
        ReturnAddress.objects.filter(shop=shop, is_default=True).values_list("address", flat=True)
    )


def test_the_database_refuses_a_second_default_address_for_a_shop(bare_shop):
    factories.ReturnAddressFactory(shop=bare_shop, is_default=True)

    with pytest.raises(IntegrityError), transaction.atomic():
        factories.ReturnAddressFactory(shop=bare_shop, is_default=True)

    # another shop's default and the shop's other addresses are no trouble
    factories.ReturnAddressFactory(shop=factories.ShopFactory(return_address=None))
    factories.ReturnAddressFactory(shop=bare_shop, is_default=False)
    assert len(_defaults(bare_shop)) == 1


def test_the_first_address_becomes_the_default_and_the_next_does_not(bare_shop):
    first = services.return_address_add(shop=bare_shop, **TYPED)
    second = services.return_address_add(shop=bare_shop, **{**TYPED, "address": "二号仓"})

    assert (first.is_default, second.is_default) == (True, False)
    assert default_return_address(bare_shop.pk) == first


def test_adding_an_address_as_the_default_moves_the_default_to_it(bare_shop):
    services.return_address_add(shop=bare_shop, **TYPED)

    services.return_address_add(shop=bare_shop, make_default=True, **{**TYPED, "address": "新仓"})

    assert _defaults(bare_shop) == ["新仓"]


def test_making_another_address_the_default_leaves_exactly_that_one(bare_shop):
    services.return_address_add(shop=bare_shop, **TYPED)
    other = services.return_address_add(shop=bare_shop, **{**TYPED, "address": "二号仓"})

    services.return_address_make_default(return_address=other)
    services.return_address_make_default(return_address=other)  # again: nothing changes

    assert _defaults(bare_shop) == ["二号仓"]


def test_deleting_the_default_hands_it_to_the_newest_other_address(bare_shop):
    first = services.return_address_add(shop=bare_shop, **TYPED)
    services.return_address_add(shop=bare_shop, **{**TYPED, "address": "二号仓"})
    services.return_address_add(shop=bare_shop, **{**TYPED, "address": "三号仓"})

    successor = services.return_address_delete(return_address=first)

    assert successor.address == "三号仓"
    assert _defaults(bare_shop) == ["三号仓"]


def test_deleting_the_last_address_leaves_the_shop_without_one(bare_shop):
    only = services.return_address_add(shop=bare_shop, **TYPED)

    assert services.return_address_delete(return_address=only) is None

    assert default_return_address(bare_shop.pk) is None


def test_deleting_an_address_that_is_not_the_default_keeps_the_default(bare_shop):
    services.return_address_add(shop=bare_shop, **TYPED)
    other = services.return_address_add(shop=bare_shop, **{**TYPED, "address": "二号仓"})

    services.return_address_delete(return_address=other)

    assert _defaults(bare_shop) == [TYPED["address"]]


@pytest.mark.parametrize(
    ("typed", "code", "field"),
    [
        ({"name": "  "}, "text_required", "name"),
        ({"region": ""}, "text_required", "region"),
        ({"address": "路" * 201}, "text_too_long", "address"),
        ({"phone": "call me"}, "return_phone_invalid", "phone"),
        ({"phone": "123"}, "return_phone_invalid", "phone"),
    ],
)
def test_an_address_with_a_field_missing_or_wrong_is_refused_and_not_saved(
    bare_shop, typed, code, field
):
    with pytest.raises(InvalidInput) as refused:
        services.return_address_add(shop=bare_shop, **{**TYPED, **typed})

    assert (refused.value.code, refused.value.field) == (code, field)
    assert not ReturnAddress.objects.filter(shop=bare_shop).exists()


def test_an_address_is_saved_as_typed_without_stray_spaces(bare_shop):
    address = services.return_address_add(
        shop=bare_shop, **{**TYPED, "phone": " 0571-8888 6666 ", "region": "浙江省  杭州市"}
    )

    assert (address.phone, address.region) == ("0571-8888 6666", "浙江省 杭州市")
