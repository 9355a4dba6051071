from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from tests import factories


def client_for(user, language: str = "zh-hans") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9" if language == "zh-hans" else "en-US,en")
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def t0():
    """Pages act at the present moment, so the workflow starts now (not at the suite's fixed
    moment) for its deadlines to be open when a page is asked."""
    return timezone.now()


@pytest.fixture
def merchant_client(merchant):
    return client_for(merchant)


@pytest.fixture
def rival(db):
    """The merchant of another shop."""
    return factories.make_merchant(shop=factories.ShopFactory(name="Rival shop"), username="rival")


def lose_disputes(wf, times: int):
    """Rule `times` cases against the shop, each worth 6 + 4 points."""
    for _ in range(times):
        intervention = wf.intervention("under_review")
        wf.rule_against_merchant(intervention, penalty_points=6, merchant_cooperated=False)
