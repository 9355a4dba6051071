"""`manage.py load_demo` and `manage.py recompute_credit`."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils import timezone

from core.roles import AGENTS_GROUP, SUPERVISORS_GROUP, is_agent, is_supervisor
from demo import loader as demo
from disputes.deadlines import enforce_deadlines
from disputes.models import (
    Intervention,
    InterventionState,
    OfferOutcome,
    RefundOffer,
    RefundPayment,
    RefundRequest,
    RefundState,
    RulingOutcome,
)
from disputes.services import intervention_rule
from merchants.models import Shop
from orders.models import Order, OrderState
from penalties.services import penalty_period, points_in_period

SEED = django_settings.BASE_DIR.parent / "shared" / "seed" / "article-pdd-intervention.txt"
LOGIN_ROW = re.compile(r"^(\w+)\s+\|\s+(\w+)\s+\|\s+(\S+)\s+\|")


def load_demo(*args: str) -> str:
    out = StringIO()
    call_command("load_demo", "--force", *args, stdout=out)
    return out.getvalue()


def printed_logins(output: str) -> dict[str, str]:
    rows = (LOGIN_ROW.match(line) for line in output.splitlines())
    return {m[2]: m[3] for m in rows if m and m[1] != "role"}


def at_risk_shop() -> Shop:
    return Shop.objects.get(name={key: name for key, _, name in demo.SHOPS}[demo.AT_RISK_SHOP])


@pytest.mark.django_db
def test_load_demo_reaches_every_order_refund_and_intervention_state():
    load_demo()

    assert set(Order.objects.values_list("state", flat=True)) == set(OrderState.values)
    assert set(RefundRequest.objects.values_list("state", flat=True)) == set(RefundState.values)
    assert set(RefundOffer.objects.values_list("outcome", flat=True)) >= {
        OfferOutcome.OPEN,
        OfferOutcome.DECLINED,
    }
    assert set(Intervention.objects.values_list("state", flat=True)) >= {
        InterventionState.AWAITING_EVIDENCE,
        InterventionState.UNDER_REVIEW,
        InterventionState.RULED,
        InterventionState.APPEALED,
    }
    refunded = RefundRequest.objects.filter(state=RefundState.REFUNDED)
    assert RefundPayment.objects.filter(refund__in=refunded).count() == refunded.count()
    assert Shop.objects.filter(name__startswith="天").count() == 2
    assert Shop.objects.filter(name__startswith="淘").count() == 2


@pytest.mark.django_db
def test_load_demo_shows_messages_with_photos_from_both_sides_and_the_platform():
    from disputes.models import Message, MessageImage

    load_demo()

    with_photos = set(MessageImage.objects.values_list("message__party", flat=True).distinct())
    assert with_photos == {"buyer", "merchant"}
    conversations = Message.objects.values("refund").distinct().count()
    assert conversations >= 2
    assert Message.objects.filter(party="platform").exists()
    for image in MessageImage.objects.all():
        assert image.content_type == "image/jpeg"
        assert image.image.storage.exists(image.image.name)


@pytest.mark.django_db
def test_load_demo_leaves_nothing_overdue():
    load_demo()

    moved = enforce_deadlines(now=timezone.now())

    assert sum(moved.values()) == 0


@pytest.mark.django_db
def test_the_at_risk_shop_is_one_ruling_from_restriction():
    load_demo()
    shop = at_risk_shop()
    agent = get_user_model().objects.get(username="agent")
    case = Intervention.objects.get(shop=shop, state=InterventionState.UNDER_REVIEW)
    period = penalty_period(timezone.now())
    assert points_in_period(shop_id=shop.pk, period=period) == 10
    assert not shop.is_restricted()

    intervention_rule(
        intervention=case,
        actor=agent,
        outcome=RulingOutcome.BUYER_FULL_REFUND,
        rationale="Wrong item sent.",
        merchant_responsible=True,
        merchant_cooperated=True,
    )

    shop.refresh_from_db()
    assert points_in_period(shop_id=shop.pk, period=period) == 12
    assert shop.is_restricted()


@pytest.mark.django_db
def test_every_printed_login_works_and_staff_are_in_their_groups(client):
    logins = printed_logins(load_demo())

    assert set(logins) == set(demo.demo_usernames())
    for username, password in logins.items():
        assert client.login(username=username, password=password), username
    users = get_user_model().objects
    agent, supervisor = users.get(username="agent"), users.get(username="supervisor")
    assert list(agent.groups.values_list("name", flat=True)) == [AGENTS_GROUP]
    assert list(supervisor.groups.values_list("name", flat=True)) == [SUPERVISORS_GROUP]
    assert is_agent(agent) and not is_supervisor(agent)
    assert is_supervisor(supervisor)
    assert users.get(username="admin").is_superuser
    client.force_login(agent)
    assert client.get("/admin/disputes/intervention/").status_code == 200


@pytest.mark.django_db
def test_load_demo_refuses_without_debug_or_force(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG"):
        call_command("load_demo", stdout=StringIO())

    assert not get_user_model().objects.exists()


@pytest.mark.django_db
def test_load_demo_twice_changes_nothing_the_second_time():
    load_demo()
    counts = (Order.objects.count(), RefundRequest.objects.count())

    output = load_demo()

    assert "already loaded" in output
    assert (Order.objects.count(), RefundRequest.objects.count()) == counts


def test_the_embedded_catalogue_is_the_seed_articles_list():
    if not SEED.is_file():
        pytest.skip("the seed article is not on this machine")

    assert demo.parse_catalogue(SEED.read_text(encoding="utf-8")) == demo.embedded_catalogue()


def test_a_missing_seed_falls_back_to_the_embedded_list(tmp_path):
    products, source = demo.load_catalogue(tmp_path / "missing.txt")

    assert products == demo.embedded_catalogue()
    assert "embedded" in source


@pytest.mark.django_db
def test_recompute_credit_rebuilds_tampered_dispute_cases():
    load_demo()
    shop = at_risk_shop()
    assert shop.dispute_cases == 3
    Shop.objects.filter(pk=shop.pk).update(dispute_cases=0)
    out = StringIO()

    call_command("recompute_credit", stdout=out)

    shop.refresh_from_db()
    assert shop.dispute_cases == 3
    assert f"Rebuilt the credit of {Shop.objects.count()} shops" in out.getvalue()
