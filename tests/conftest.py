from __future__ import annotations

import os
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import jinja2
import pytest
from django.core.cache import cache
from django.test.signals import template_rendered
from django.utils import translation
from hypothesis import settings as hypothesis_settings

from demo.workflow import Workflow
from tests import factories

SHANGHAI = ZoneInfo("Asia/Shanghai")

# CI replays the same examples every run, so that a submission's result does not depend on
# luck; runs elsewhere draw new examples and keep exploring.
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")


@pytest.fixture(autouse=True, scope="session")
def _jinja_templates_report_their_context():
    """The test client reads `response.context` from the `template_rendered` signal, which
    Django's test set-up makes its own engine send; the pages' Jinja templates send it too."""
    render = jinja2.Template.render

    def render_and_report(self, *args, **kwargs):
        template_rendered.send(sender=self, template=self, context=dict(*args, **kwargs))
        return render(self, *args, **kwargs)

    jinja2.Template.render = render_and_report
    yield
    jinja2.Template.render = render


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _default_language():
    """A request activates its language for the thread and leaves it there (LocaleMiddleware):
    every test starts in the platform's default, whatever the last request before it spoke."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters, cached figures and remembered languages live in the cache, which
    outlives a test's database rows: every test starts with none, whatever ran before it."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def t0():
    """A fixed moment that every workflow test starts from (mid-year, so no period edge)."""
    return datetime(2026, 6, 1, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture
def buyer(db):
    return factories.UserFactory(username="buyer")


@pytest.fixture
def shop(db):
    return factories.ShopFactory(name="天 Flagship")


@pytest.fixture
def merchant(shop):
    return factories.make_merchant(shop=shop, username="merchant")


@pytest.fixture
def agent(db):
    return factories.make_agent(username="agent")


@pytest.fixture
def supervisor(db):
    return factories.make_supervisor(username="supervisor")


@pytest.fixture
def product(shop):
    return factories.ProductFactory(shop=shop, title="Jacket", price=Decimal("100.00"))


@pytest.fixture
def wf(buyer, merchant, agent, supervisor, product, t0):
    """Drives orders and refunds to any state through the services."""
    return Workflow(
        buyer=buyer, merchant=merchant, agent=agent, supervisor=supervisor, product=product, now=t0
    )


@pytest.fixture
def hours():
    return lambda n: timedelta(hours=n)
