from __future__ import annotations

import pytest
from django.test import Client


@pytest.fixture
def zh_client():
    return Client(HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")


@pytest.fixture
def en_client():
    return Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")


@pytest.fixture
def buyer_client(buyer):
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")
    client.force_login(buyer)
    return client


@pytest.fixture
def store(db):
    """A shop with ASCII names, so that a page's CJK characters can only be UI text."""
    from decimal import Decimal

    from tests import factories

    shop = factories.ShopFactory(name="Acme Store")
    merchant = factories.make_merchant(shop=shop, username="acme")
    product = factories.ProductFactory(shop=shop, title="Wool Jacket", price=Decimal("100.00"))
    return shop, merchant, product


@pytest.fixture
def now_wf(buyer, store, agent, supervisor):
    """The workflow driver at the present moment, so that the windows are open for the pages."""
    from django.utils import timezone

    from demo.workflow import Workflow

    _shop, merchant, product = store
    return Workflow(
        buyer=buyer,
        merchant=merchant,
        agent=agent,
        supervisor=supervisor,
        product=product,
        now=timezone.now(),
    )
