"""The pages anyone may read: a shop's public page and the rules page."""

from __future__ import annotations

from django.urls import reverse

from tests.seller.conftest import client_for, lose_disputes


def test_the_public_shop_page_warns_while_restricted(wf, shop):
    anonymous = client_for(None)
    assert (
        "店铺被公示警告"
        not in anonymous.get(reverse("shop-detail", args=[shop.pk])).content.decode()
    )

    lose_disputes(wf, 2)
    page = anonymous.get(reverse("shop-detail", args=[shop.pk])).content.decode()

    assert "店铺被公示警告" in page
    assert "Jacket" not in page  # its products are hidden with the shop


def test_the_rules_page_shows_every_rule_and_the_three_diagrams_in_both_languages(db):
    zh = client_for(None).get(reverse("rules")).content.decode()
    en = client_for(None, "en").get(reverse("rules")).content.decode()

    assert "48 小时" in zh and "48 hours" in en
    for name, zh_state, en_state in (
        ("order", "待付款", "Awaiting payment"),
        ("refund", "待商家处理", "Waiting for the shop"),
        ("intervention", "举证中", "Collecting evidence"),
    ):
        # each diagram is in the page itself, its boxes links to the moves from their state
        assert f'<g id="{name}&#45;graph" class="graph"' in zh
        assert f'<g id="{name}&#45;graph" class="graph"' in en
        assert f">{zh_state}</text>" in zh and f">{en_state}</text>" in en
