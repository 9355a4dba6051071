"""Who may enter the console and what each group sees; and that no admin form or action writes
a row past the services."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.contrib import admin
from django.test import RequestFactory
from django.urls import clear_url_caches

from core.admin import ReadOnlyAdmin
from core.models import IdempotencyKey
from disputes.models import Intervention, RefundPayment, RefundRequest
from penalties.models import PenaltyRecord
from tests.admin.conftest import admin_path

DOMAIN_APPS = ["core", "merchants", "orders", "disputes", "penalties"]
SERVICE_ACTIONS = {"assign_to_me"}


def test_buyers_and_merchants_cannot_enter_the_admin(client_for, buyer, merchant):
    for user in (buyer, merchant):
        response = client_for(user).get(admin_path())
        assert response.status_code == 302
        assert "/login/" in response["Location"]
        assert client_for(user).get(admin_path("disputes/intervention/")).status_code == 302


def test_a_buyer_cannot_log_in_to_the_admin_with_the_right_password(client, buyer):
    response = client.post(
        admin_path("login/"), {"username": "buyer", "password": "pass-1234"}, follow=True
    )
    assert "_auth_user_id" not in client.session
    assert response.status_code == 200
    assert client.get(admin_path()).status_code == 302


AGENT_SEES = [
    "disputes/intervention",
    "disputes/refundrequest",
    "disputes/evidence",
    "orders/order",
]
SUPERVISOR_ONLY = [
    "disputes/appeal",
    "penalties/restriction",
    "penalties/penaltyrecord",
    "disputes/refundpayment",
    "core/auditentry",
    "core/outboxmessage",
]
NOBODY_BUT_SUPERUSERS = ["core/idempotencykey", "core/notification", "merchants/product"]


def test_an_agent_sees_the_case_work_and_not_the_supervisors_desk(client_for, agent):
    client = client_for(agent)
    for path in AGENT_SEES:
        assert client.get(admin_path(f"{path}/")).status_code == 200, path
    for path in SUPERVISOR_ONLY + NOBODY_BUT_SUPERUSERS:
        assert client.get(admin_path(f"{path}/")).status_code == 403, path


def test_a_supervisor_also_sees_appeals_restrictions_penalties_and_payments(client_for, supervisor):
    client = client_for(supervisor)
    for path in AGENT_SEES + SUPERVISOR_ONLY:
        assert client.get(admin_path(f"{path}/")).status_code == 200, path
    for path in NOBODY_BUT_SUPERUSERS:
        assert client.get(admin_path(f"{path}/")).status_code == 403, path


def _domain_admins():
    for app in DOMAIN_APPS:
        for model in apps.get_app_config(app).get_models():
            yield model, admin.site._registry[model]


def test_every_platform_model_uses_the_one_read_only_base(db):
    assert [m.__name__ for m, a in _domain_admins() if not isinstance(a, ReadOnlyAdmin)] == []


def test_not_even_a_superuser_can_add_edit_or_delete_a_row(admin_user):
    request = RequestFactory().get("/")
    request.user = admin_user
    for model, model_admin in _domain_admins():
        assert not model_admin.has_add_permission(request), model
        assert not model_admin.has_change_permission(request), model
        assert not model_admin.has_delete_permission(request), model
        assert set(model_admin.get_actions(request)) <= SERVICE_ACTIONS, model


def test_posting_to_a_change_page_changes_no_state_penalty_or_payment(admin_client, wf):
    # given a ruled case: a refund, an intervention, a payment and a penalty record
    intervention = wf.intervention("ruled")
    rows = [
        intervention,
        intervention.refund,
        RefundPayment.objects.get(refund=intervention.refund),
        PenaltyRecord.objects.filter(ruling__intervention=intervention).first(),
    ]
    edits = {"state": "refunded", "amount": "1.00", "points": "1", "reversed_at": "2026-01-01"}
    for row in rows:
        meta = row._meta
        before = {f.attname: getattr(row, f.attname) for f in meta.fields}
        base = admin_path(f"{meta.app_label}/{meta.model_name}/")

        # when a superuser posts an edit, a delete and an add
        change = admin_client.post(f"{base}{row.pk}/change/", edits)
        delete = admin_client.post(f"{base}{row.pk}/delete/", {"post": "yes"})
        add = admin_client.post(f"{base}add/", edits)

        # then each is refused and the row is as it was
        assert change.status_code == 403, meta.model_name
        assert delete.status_code == 403, meta.model_name
        assert add.status_code == 403, meta.model_name
        row.refresh_from_db()
        assert {f.attname: getattr(row, f.attname) for f in meta.fields} == before
    assert RefundRequest.objects.count() == 1
    assert Intervention.objects.count() == 1


@pytest.fixture
def moved_admin(settings, db):
    """The admin served at another address, as DJANGO_ADMIN_URL would set it."""
    settings.ADMIN_URL = "console-7f3a/"
    urls = importlib.import_module(settings.ROOT_URLCONF)
    importlib.reload(urls)
    clear_url_caches()
    yield "/console-7f3a/"
    settings.ADMIN_URL = "admin/"
    importlib.reload(urls)
    clear_url_caches()


def test_the_admin_url_comes_from_the_settings(client, moved_admin):
    assert client.get(moved_admin).status_code == 302
    assert client.get("/admin/").status_code == 404


def test_the_admin_login_locks_an_agent_out_after_repeated_failures_at_its_address(
    client, moved_admin, agent, settings
):
    login = f"{moved_admin}login/"
    for i in range(settings.AXES_FAILURE_LIMIT):
        client.post(login, {"username": "agent", "password": f"guess-{i}"})

    right = client.post(login, {"username": "agent", "password": "pass-1234"})

    assert right.status_code == 429
    assert "_auth_user_id" not in client.session
    assert client.get(moved_admin).status_code == 302


def test_idempotency_keys_are_never_editable(admin_client, buyer):
    key = IdempotencyKey.objects.create(user=buyer, key="k1", fingerprint="f")
    url = admin_path(f"core/idempotencykey/{key.pk}/change/")
    assert admin_client.get(url).status_code == 200
    assert admin_client.post(url, {"key": "k2"}).status_code == 403
    key.refresh_from_db()
    assert key.key == "k1"
