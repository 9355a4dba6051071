"""The ground every page stands on: layout, accounts, languages, messages, error pages, CSP."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from core.notices import notice
from core.services import notifications_mark_read, notify
from orders.models import Order, OrderState
from orders.services import order_place
from tests import factories

pytestmark = pytest.mark.django_db


def test_every_page_carries_a_nonce_csp_and_the_projects_own_stylesheet(zh_client):
    response = zh_client.get("/")

    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in policy
    assert "default-src 'self'" in policy
    html = response.content.decode()
    css = re.search(r'<link rel="stylesheet" href="([^"]+)"', html).group(1)
    assert css.startswith("/static/")
    assert "http" not in css  # no CDN


def test_the_default_language_is_chinese_and_the_switcher_changes_it(zh_client):
    assert "首页" in zh_client.get("/").content.decode()

    response = zh_client.post(reverse("set_language"), {"language": "en", "next": "/"})

    assert response.status_code == 302
    page = zh_client.get("/").content.decode()
    assert "Home" in page
    assert "首页" not in page


def test_a_visitor_signs_up_and_is_logged_in(zh_client):
    response = zh_client.post(
        reverse("signup"),
        {
            "username": "newbuyer",
            "email": "",
            "password": "a-long-pass-42",
            "password_again": "a-long-pass-42",
        },
        follow=True,
    )

    assert response.redirect_chain[-1][0] == reverse("personal-center")
    assert response.context["user"].username == "newbuyer"
    assert "欢迎" in response.content.decode()


def test_a_refused_sign_up_says_why_beside_the_field_and_keeps_the_name(zh_client):
    factories.UserFactory(username="taken")

    response = zh_client.post(
        reverse("signup"),
        {"username": "taken", "password": "a-long-pass-42", "password_again": "a-long-pass-42"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["username"]
    assert 'value="taken"' in response.content.decode()
    assert get_user_model().objects.filter(username="taken").count() == 1


def test_log_in_and_log_out(zh_client, buyer):
    response = zh_client.post(
        reverse("login"), {"username": "buyer", "password": "pass-1234"}, follow=True
    )
    assert response.context["user"].is_authenticated

    response = zh_client.post(reverse("logout"), follow=True)
    assert not response.context["user"].is_authenticated


def test_a_missing_page_is_the_styled_404_in_the_visitors_language(zh_client, en_client):
    zh = zh_client.get("/no-such-page/")
    en = en_client.get("/no-such-page/")

    assert zh.status_code == en.status_code == 404
    assert "页面不存在" in zh.content.decode()
    assert "Page not found" in en.content.decode()
    assert "site.css" in en.content.decode()


def test_a_refused_csrf_check_is_the_styled_403(buyer):
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="zh-CN")
    client.force_login(buyer)

    response = client.post(reverse("logout"))

    assert response.status_code == 403
    assert "无权访问" in response.content.decode()


def test_the_unread_badge_is_on_every_page_and_costs_one_query(buyer_client, buyer, shop):
    for n in range(3):
        notify(recipients=[buyer], kind="refunded", message=notice(f"note {n}"), target=shop)

    with CaptureQueriesContext(connection) as queries:
        page = buyer_client.get(reverse("order-list")).content.decode()

    assert re.search(r'class="badge"[^>]*>3<', page)
    assert len([q for q in queries if "core_notification" in q["sql"]]) == 1


def test_the_unread_badge_counts_only_the_users_own_unread_notifications(buyer_client, buyer, shop):
    other = factories.UserFactory()
    for n in range(3):
        notify(recipients=[buyer, other], kind="refunded", message=notice(f"note {n}"), target=shop)
    read = buyer.notifications.order_by("pk").first()
    notifications_mark_read(user=buyer, ids=[read.pk])

    page = buyer_client.get(reverse("order-list")).content.decode()

    assert buyer.notifications.filter(read_at__isnull=True).count() == 2
    assert re.search(r'class="badge"[^>]*>2<', page)


def test_the_notifications_page_lists_them_and_marks_them_read(buyer_client, buyer, shop):
    notify(recipients=[buyer], kind="refunded", message=notice("Your refund moved"), target=shop)

    page = buyer_client.get(reverse("notification-list")).content.decode()

    assert "Your refund moved" in page
    assert buyer.notifications.filter(read_at__isnull=True).count() == 0
    assert not re.search(r'消息 <span class="badge"', page)


def test_a_refused_action_shows_the_domain_errors_message_on_the_page(buyer_client, buyer, product):
    order = order_place(buyer=buyer, product=product, quantity=1)
    buyer_client.post(reverse("order-pay", args=[order.pk]))

    response = buyer_client.post(reverse("order-pay", args=[order.pk]), follow=True)

    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    with translation.override("zh-hans"):
        paid = str(OrderState.PAID.label)
    assert f"当前状态为“{paid}”，无法进行此操作。" in messages


def test_a_refusal_reads_in_english_with_the_services_own_words(product):
    buyer = factories.UserFactory()
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(buyer)
    order = order_place(buyer=buyer, product=product, quantity=1)
    client.post(reverse("order-pay", args=[order.pk]))

    response = client.post(reverse("order-pay", args=[order.pk]), follow=True)

    messages = [str(m) for m in response.context["messages"]]
    with translation.override("en"):
        paid = str(OrderState.PAID.label)
    assert f"This cannot be done while the state is “{paid}”." in messages


def test_a_form_submitted_twice_acts_once(buyer_client, product):
    form = {"quantity": "1", "form_token": "tok-123"}

    first = buyer_client.post(reverse("product-detail", args=[product.pk]), form)
    second = buyer_client.post(reverse("product-detail", args=[product.pk]), form)

    assert Order.objects.count() == 1
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
