"""`pk_url`, the cheap `{% url %}` of a list's rows, gives exactly what reverse() gives."""

from __future__ import annotations

import pytest
from django.urls import clear_script_prefix, reverse, set_script_prefix

from core.templatetags.pages import pk_url


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
