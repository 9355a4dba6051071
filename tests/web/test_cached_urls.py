"""`pk_url` (a list's rows) and `{% link %}` (the layout's links), the cached `{% url %}`,
give exactly what reverse() gives."""

from __future__ import annotations

import pytest
from django.urls import clear_script_prefix, reverse, set_script_prefix

from core.templating import link, pk_url


@pytest.mark.parametrize(
    "name", ["order-detail", "refund-detail", "seller-refund", "product-detail"]
)
@pytest.mark.parametrize("pk", [1, 42, 987654321])
def test_pk_url_is_the_reversed_url_of_the_row(name, pk):
    assert pk_url(pk, name) == reverse(name, args=[pk])


def test_pk_url_follows_the_script_prefix_the_site_is_served_under():
    set_script_prefix("/shop/")
    try:
        assert pk_url(7, "order-detail") == "/shop/orders/7/" == reverse("order-detail", args=[7])
    finally:
        clear_script_prefix()
    assert pk_url(7, "order-detail") == "/orders/7/"


@pytest.mark.parametrize("name", ["home", "order-list", "set_language", "seller-queue"])
def test_link_is_the_reversed_url(name):
    assert link(name) == reverse(name)


def test_link_follows_the_script_prefix_the_site_is_served_under():
    set_script_prefix("/shop/")
    try:
        assert link("order-list") == "/shop/orders/" == reverse("order-list")
    finally:
        clear_script_prefix()
    assert link("order-list") == "/orders/"
