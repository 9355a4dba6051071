"""Every page of the seller center, the dashboard, the shop page and the rules page, rendered
in Chinese and in English, shows no UI string of the other language."""

from __future__ import annotations

import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from core.rules import get_rules
from disputes.models import Ruling
from merchants.models import Product
from tests.seller.conftest import client_for, lose_disputes

LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
CJK = re.compile(r"[\u3400-\u9fff]")
# Words that are the same in both languages: the switcher's own names, units and image formats.
SAME_IN_BOTH = {"EN", "中文", "MB", "JPEG", "PNG", "WebP"}


class _Text(HTMLParser):
    """The text a person reads: text nodes and the attributes shown or spoken."""

    SPOKEN = {"title", "alt", "placeholder", "aria-label"}

    def __init__(self):
        super().__init__()
        self.parts, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        self.parts += [v for k, v in attrs if k in self.SPOKEN and v]

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def untranslated(html: str, language: str, data: list[str]) -> list[str]:
    parser = _Text()
    parser.feed(html)
    text = " ".join(parser.parts)
    for value in sorted(data, key=len, reverse=True):
        text = text.replace(value, " ")
    for word in SAME_IN_BOTH:
        text = text.replace(word, " ")
    found = LATIN_WORD.findall(text) if language == "zh-hans" else CJK.findall(text)
    return sorted(set(found))


@pytest.fixture
def pages(wf, shop, merchant, product):
    """One URL per seller-center and public page, each with rows in it."""
    cheap = Product.objects.create(shop=shop, title="Soap", price=Decimal("20.00"))
    requested = wf.refund("requested", order=wf.order(product=cheap))  # with the seed's advice
    case = wf.intervention("awaiting_evidence")
    ruled = wf.intervention("ruled")
    wf.order("paid")
    lose_disputes(wf, 2)  # restricted: the warnings show too
    urls = {
        "queue": reverse("seller-queue"),
        "requested refund": reverse("seller-refund", args=[requested.pk]),
        "refund": reverse("seller-refund", args=[case.refund_id]),
        "ruled refund": reverse("seller-refund", args=[ruled.refund_id]),
        "orders": reverse("seller-orders"),
        "products": reverse("seller-products"),
        "new product": reverse("seller-product-create"),
        "edit product": reverse("seller-product-edit", args=[product.pk]),
        "appeal": reverse("seller-ruling-appeal", args=[ruled.ruling.pk]),
        "dashboard": reverse("penalty-dashboard"),
        "shop": reverse("shop-detail", args=[shop.pk]),
        "rules": reverse("rules"),
    }
    data = [shop.name, product.title, cheap.title, merchant.username, "broken zip", "Used item"]
    data += [r.rationale for r in Ruling.objects.all()]
    data += ["It was broken", "Buyer damaged it"]
    data.append(get_rules().penalty_period_timezone)  # an IANA name, the same in every language
    return urls, data


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_no_page_shows_an_untranslated_string(pages, merchant, language):
    urls, data = pages
    client = client_for(merchant, language)
    problems = {}
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, name
        found = untranslated(response.content.decode(), language, data)
        if found:
            problems[name] = found

    assert problems == {}
