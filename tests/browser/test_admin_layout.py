"""The admin console's own pages look like the rest of the admin: the breadcrumb of the case,
ruling and appeal pages sits in its bar, and the queue's search box says what it searches."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from disputes import services as ds
from tests.admin.conftest import admin_path
from tests.browser.conftest import PHONE
from tests.browser.test_admin_console import log_in


def _inside(inner: dict, outer: dict) -> bool:
    return (
        outer["x"] <= inner["x"]
        and inner["x"] + inner["width"] <= outer["x"] + outer["width"] + 0.5
        and outer["y"] <= inner["y"]
        and inner["y"] + inner["height"] <= outer["y"] + outer["height"] + 0.5
    )


def _crumbs_in_their_bar(page) -> list[str]:
    bar = page.locator("nav ol.breadcrumbs")
    assert bar.evaluate("el => getComputedStyle(el).backgroundColor") not in (
        "rgba(0, 0, 0, 0)",
        "transparent",
    )
    crumbs = bar.locator("li")
    box = bar.bounding_box()
    assert all(_inside(crumbs.nth(n).bounding_box(), box) for n in range(crumbs.count()))
    return [crumbs.nth(n).inner_text().strip() for n in range(crumbs.count())]


@pytest.mark.parametrize("width", [PHONE, {"width": 1280, "height": 800}], ids=["phone", "desktop"])
def test_the_case_ruling_and_appeal_pages_keep_their_breadcrumb_in_the_bar(
    page, shoot, wf, supervisor, width
):
    case = wf.intervention("under_review")
    wf.now = timezone.now() - timedelta(days=1)
    appealed = wf.intervention("under_review")
    ruling = wf.rule_against_merchant(appealed, merchant_cooperated=True)
    appeal = ds.ruling_appeal(ruling=ruling, actor=wf.merchant, statement="快递破损", now=wf.now)
    page.set_viewport_size(width)
    log_in(page, supervisor.username)

    page.goto(admin_path(f"disputes/intervention/{case.pk}/change/"))
    assert _crumbs_in_their_bar(page)[-1] == f"介入单 #{case.pk}"
    shoot(page, "admin-case-breadcrumb")

    page.goto(admin_path(f"disputes/intervention/{case.pk}/rule/"))
    assert _crumbs_in_their_bar(page)[-2:] == [f"介入单 #{case.pk}", "平台判定"]

    page.goto(admin_path(f"disputes/appeal/{appeal.pk}/change/"))
    assert _crumbs_in_their_bar(page)[0] == "首页"
    shoot(page, "admin-appeal-breadcrumb")


def test_the_queue_search_box_is_labelled_in_the_readers_words(page, shoot, wf, agent):
    wf.intervention("under_review")
    page.set_viewport_size(PHONE)
    log_in(page, agent.username)

    page.goto(admin_path("disputes/intervention/"))

    search = page.get_by_role("textbox", name="搜索 平台介入")
    assert search.is_visible()
    assert page.locator("label[for=searchbar]").inner_text().strip() == "搜索 平台介入"
    shoot(page, "admin-queue-search")
