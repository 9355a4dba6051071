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
