"""The catalogue's cached listing: its size and page order may lag by the cache
time, what it shows never does."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from merchants.selectors import CatalogueListing
from tests import factories


@pytest.fixture
def cached(settings):
    settings.CATALOGUE_CACHE_SECONDS = 60


@pytest.fixture
def shops(db):
    best = factories.ShopFactory(name="best", ranking_score=Decimal("99"))
    worse = factories.ShopFactory(name="worse", ranking_score=Decimal("80"))
    return best, worse


def _titles(listing, n=20):
    return [p.title for p in listing[0:n]]


def test_the_listing_is_the_catalogue_best_ranked_shop_first(shops, cached):
    best, worse = shops
    factories.ProductFactory(shop=worse, title="w1")
    factories.ProductFactory(shop=best, title="b1")

    assert _titles(CatalogueListing()) == ["b1", "w1"]
    assert CatalogueListing().count() == 2
    assert _titles(CatalogueListing("w1")) == ["w1"]


def test_a_cached_page_reads_no_more_sorting_queries(shops, cached):
    best, _ = shops
    for i in range(3):
        factories.ProductFactory(shop=best, title=f"p{i}")
    CatalogueListing().count()
    _titles(CatalogueListing())

    with CaptureQueriesContext(connection) as queries:
        listing = CatalogueListing()
        assert listing.count() == 3
        assert len(_titles(listing)) == 3

    # the rows, by id, through the catalogue's filter, and their pictures
    assert len(queries.captured_queries) == 2
    assert "merchants_productimage" in queries.captured_queries[1]["sql"]


def test_a_restricted_shop_or_an_unpublished_product_disappears_at_once(shops, cached):
    best, worse = shops
    kept = factories.ProductFactory(shop=best, title="kept")
    hidden = factories.ProductFactory(shop=best, title="hidden")
    factories.ProductFactory(shop=worse, title="restricted")
    assert len(_titles(CatalogueListing())) == 3

    # when, within the cache time
    hidden.is_published = False
    hidden.save()
    worse.restricted_until = timezone.now() + timedelta(days=7)
    worse.save()

    # then
    assert _titles(CatalogueListing()) == [kept.title]


def test_a_new_product_shows_once_the_cache_time_is_over(shops, cached):
    best, _ = shops
    factories.ProductFactory(shop=best, title="old")
    assert _titles(CatalogueListing()) == ["old"]
    factories.ProductFactory(shop=best, title="new")

    assert _titles(CatalogueListing()) == ["old"]  # cached: new products lag
    cache.clear()  # the cache time is over
    assert sorted(_titles(CatalogueListing())) == ["new", "old"]


def test_the_catalogue_page_and_api_read_the_listing(client, shops, cached):
    best, _ = shops
    factories.ProductFactory(shop=best, title="挂烫机")

    page = client.get(reverse("home"))
    api = client.get(reverse("api-products"))

    assert page.status_code == 200 and "挂烫机" in page.content.decode()
    assert api.status_code == 200
    assert api.json()["count"] == 1
    assert api.json()["results"][0]["title"] == "挂烫机"
