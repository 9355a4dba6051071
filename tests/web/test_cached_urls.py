"""The pages' `url()` is Django's reverse(), remembered: the same URL for the same name and
arguments, under whatever script prefix and URLconf the request is served with."""

from __future__ import annotations

import pytest
from django.urls import NoReverseMatch, clear_script_prefix, reverse, set_script_prefix, set_urlconf

from core.templating import url


@pytest.mark.parametrize(
    "name", ["order-detail", "refund-detail", "seller-refund", "product-detail"]
)
@pytest.mark.parametrize("pk", [1, 42, 987654321])
def test_a_rows_url_is_the_reversed_url(name, pk):
    assert url(name, pk) == reverse(name, args=[pk])
    assert url(name, pk) == reverse(name, args=[pk])  # remembered, the same


@pytest.mark.parametrize("name", ["home", "order-list", "set_language", "seller-queue"])
def test_a_url_without_arguments_is_the_reversed_url(name):
    assert url(name) == reverse(name)


def test_a_url_follows_the_script_prefix_the_site_is_served_under():
    assert url("order-detail", 7) == "/orders/7/"
    set_script_prefix("/shop/")
    try:
        assert url("order-detail", 7) == "/shop/orders/7/" == reverse("order-detail", args=[7])
        assert url("order-list") == "/shop/orders/"
    finally:
        clear_script_prefix()
    assert url("order-detail", 7) == "/orders/7/"


def test_a_url_follows_the_urlconf_a_request_is_served_with():
    set_urlconf("benchmarks.urls")
    try:
        assert url("bench-bare-page") == reverse("bench-bare-page", urlconf="benchmarks.urls")
    finally:
        set_urlconf(None)
    with pytest.raises(NoReverseMatch):
        url("bench-bare-page")


def test_a_name_or_arguments_that_match_no_url_still_fail_loudly():
    with pytest.raises(NoReverseMatch):
        url("order-detail")
    with pytest.raises(NoReverseMatch):
        url("order-detail", "not-a-number")
