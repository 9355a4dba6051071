"""Buying keeps the listing as it was (交易快照): each order item holds the title, unit price,
description, specification and copies of the pictures, and nothing the shop does to the
product later changes them; `listing_changed` says whether it did anything."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.storage import default_storage
from django.db import transaction

from merchants.services import (
    product_add_images,
    product_move_image,
    product_remove_image,
    product_update,
)
from orders.models import Order, OrderItemImage
from orders.selectors import items_as_sold
from orders.services import order_place
from tests.security.images import image_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def listed(product):
    """The jacket, described and specified, with two pictures (red, then blue)."""
    product_update(
        product=product,
        title="Jacket",
        price=Decimal("100.00"),
        description="Wool, lined.",
        specification="颜色：黑色；尺码：L",
    )
    product_add_images(
        product=product,
        images=[upload(image_bytes("PNG"), "red.png"), upload(image_bytes("JPEG"), "b.jpg")],
    )
    product.refresh_from_db()
    return product


def _as_sold(order: Order):
    [item] = items_as_sold(order.pk)
    return item


def _content(file) -> bytes:
    with default_storage.open(file.name, "rb") as handle:
        return handle.read()


def test_buying_writes_the_listing_and_copies_of_its_pictures(wf, listed):
    order = wf.order("paid", product=listed)

    item = _as_sold(order)
    assert (item.title, item.unit_price, item.description, item.specification) == (
        "Jacket",
        Decimal("100.00"),
        "Wool, lined.",
        "颜色：黑色；尺码：L",
    )
    assert item.listing_revision == listed.revision
    assert not item.listing_changed
    originals = list(listed.images.all())
    copies = list(item.images.all())
    assert [c.position for c in copies] == [0, 1]
    assert [c.content_type for c in copies] == ["image/png", "image/jpeg"]
    for original, copy in zip(originals, copies, strict=True):
        assert copy.image.name.startswith("snapshots/")
        assert copy.image.name != original.image.name  # a file of its own
        assert _content(copy.image) == _content(original.image)


def test_the_snapshot_stays_as_bought_when_the_shop_edits_deletes_and_reorders(
    wf, listed, django_capture_on_commit_callbacks
):
    order = wf.order("paid", product=listed)
    before = _as_sold(order)
    pictures_before = [_content(c.image) for c in before.images.all()]

    # when the shop rewrites the listing, reorders, deletes a picture and adds another
    product_update(
        product=listed,
        title="Jacket (new)",
        price=Decimal("80.00"),
        description="Polyester.",
        specification="颜色：白色",
    )
    product_move_image(image=listed.images.get(position=1), offset=-1)
    with django_capture_on_commit_callbacks(execute=True):
        product_remove_image(image=listed.images.get(position=0))
    product_add_images(product=listed, images=[upload(image_bytes(), "new.png")])

    # then the order's item reads as it was bought, pictures and all
    after = _as_sold(order)
    assert (after.title, after.unit_price, after.description, after.specification) == (
        "Jacket",
        Decimal("100.00"),
        "Wool, lined.",
        "颜色：黑色；尺码：L",
    )
    assert [_content(c.image) for c in after.images.all()] == pictures_before
    assert after.listing_changed
    # and a new order takes the listing as it is now
    fresh = _as_sold(wf.order("paid", product=listed))
    assert (fresh.title, fresh.unit_price, fresh.images.count()) == ("Jacket (new)", 80, 2)
    assert not fresh.listing_changed


@pytest.mark.parametrize(
    "change",
    [
        {"title": "Jacket II"},
        {"price": Decimal("99.00")},
        {"description": "Cotton."},
        {"specification": "颜色：红色"},
    ],
)
def test_any_change_of_what_a_buyer_sees_marks_the_listing_changed(wf, listed, change):
    order = wf.order("paid", product=listed)
    listing = {"title": listed.title, "price": listed.price} | change

    product_update(product=listed, **listing)

    assert _as_sold(order).listing_changed


def test_saving_the_listing_unchanged_is_no_change(wf, listed):
    order = wf.order("paid", product=listed)

    product_update(
        product=listed,
        title=" Jacket ",
        price="100.00",
        description="Wool, lined.",
        specification="颜色：黑色；尺码：L",
    )
    product_move_image(image=listed.images.get(position=1), offset=1)  # the last: no move

    assert not _as_sold(order).listing_changed


def test_an_order_refused_after_its_pictures_were_copied_leaves_no_file(
    wf, listed, settings, monkeypatch
):
    def broken(**kwargs):
        raise RuntimeError("the audit entry could not be written")

    monkeypatch.setattr("orders.services.audit_record", broken)
    files_before = sorted(p.name for p in settings.MEDIA_ROOT.rglob("*") if p.is_file())

    with pytest.raises(RuntimeError):
        order_place(buyer=wf.buyer, product=listed, quantity=1)

    assert not OrderItemImage.objects.exists()
    assert sorted(p.name for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()) == files_before


def test_an_edit_made_while_the_listing_was_read_is_read_again_under_the_lock(
    wf, listed, monkeypatch
):
    """The shop changes the listing between the buyer's read of the product and of its
    pictures: the unlocked read sees the revision moved and reads again with the lock."""
    from merchants import selectors

    read = selectors._read_listing
    calls = []

    def edited_meanwhile(product_id, *, lock):
        listing = read(product_id, lock=lock)
        calls.append(lock)
        if not lock:
            with transaction.atomic():
                product_update(
                    product=listed, title="Jacket", price=Decimal("100.00"), description="New."
                )
        return listing

    monkeypatch.setattr(selectors, "_read_listing", edited_meanwhile)

    item = _as_sold(wf.order("paid", product=listed))

    assert calls == [False, True]
    assert item.description == "New."
    assert not item.listing_changed


def test_an_item_sold_before_snapshots_has_no_snapshot_and_no_change_notice(wf, listed):
    order = wf.order("paid", product=listed)
    order.items.update(listing_revision=None, description="", specification="")
    OrderItemImage.objects.filter(item__order=order).delete()
    product_update(product=listed, title="Renamed", price=Decimal("1.00"))

    item = _as_sold(order)

    assert not item.has_snapshot
    assert not item.listing_changed
