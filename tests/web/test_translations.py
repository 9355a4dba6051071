"""Every buyer page, rendered in English and in Chinese, shows no UI text of the other language.

User data here is ASCII (shop "Acme Store", product "Wool Jacket", English statements), so any
CJK character on an English page is an untranslated UI string; on a Chinese page, every English
msgid of the catalogue is looked for in the visible text and the attributes a person reads.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from core.notices import notice
from core.services import notify

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
READ_ATTRIBUTES = {"placeholder", "title", "alt", "aria-label", "value"}


class VisibleText(HTMLParser):
    """The text a person reads: text nodes (not scripts or styles) and the read attributes;
    the language switcher is skipped (it names each language in that language)."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in {"script", "style"} or "language" in (attrs.get("class") or "").split():
            self._skip += 1
            return
        if not self._skip and not (tag == "input" and attrs.get("type") in {"hidden", None}):
            self.parts.extend(v for k, v in attrs.items() if k in READ_ATTRIBUTES and v)

    def handle_endtag(self, tag):
        if self._skip and tag in {"script", "style", "form"}:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return "\n".join(p.strip() for p in parser.parts if p.strip())


def english_msgids() -> set[str]:
    po = Path(settings.BASE_DIR, "locale", "zh_Hans", "LC_MESSAGES", "django.po").read_text()
    ids = set(re.findall(r'^msgid "(.+)"$', po, flags=re.MULTILINE))
    # Placeholders are filled in, so look for the words around them.
    words = set()
    for msgid in ids:
        words.update(p.strip() for p in re.split(r"%\(\w+\)\w", msgid))
    return {w for w in words if len(w) >= 4 and re.search("[A-Za-z]{3}", w)}


@pytest.fixture
def every_buyer_page(now_wf, buyer):
    """The URL of every buyer page, with the data each needs, in every state worth seeing."""
    pages = [reverse("home"), reverse("home") + "?q=Wool", reverse("personal-center")]
    pages += [reverse("order-list") + f"?tab={t}" for t in ("all", "pending_payment", "paid")]
    pages += [reverse("order-list") + f"?tab={t}" for t in ("shipped", "completed", "closed")]
    pages.append(reverse("product-detail", args=[now_wf.product.pk]))
    for state in ("pending_payment", "paid", "shipped", "delivered", "completed"):
        order = now_wf.order(state)
        pages.append(reverse("order-detail", args=[order.pk]))
    pages.append(reverse("refund-new", args=[now_wf.order("shipped").pk]))
    for state in ("requested", "awaiting_return", "return_shipped", "rejected", "refunded"):
        refund = now_wf.refund(state)
        pages.append(reverse("refund-detail", args=[refund.pk]))
        pages.append(reverse("order-detail", args=[refund.order_id]))
    rejected = now_wf.refund("rejected")
    pages += [
        reverse("refund-revise", args=[rejected.pk]),
        reverse("refund-escalate", args=[rejected.pk]),
        reverse("refund-evidence", args=[rejected.pk]),
    ]
    for state in ("awaiting_evidence", "under_review", "ruled"):
        intervention = now_wf.intervention(state)
        pages.append(reverse("intervention-detail", args=[intervention.pk]))
        pages.append(reverse("refund-detail", args=[intervention.refund_id]))
    # The messages page, with the notifications the workflow above wrote and one unread.
    notify(recipients=[buyer], kind="refunded", message=notice("Money back"), target=rejected)
    pages.append(reverse("notification-list"))
    return pages


ANONYMOUS_PAGES = ["login", "signup"]
# What the parties typed in demo/workflow.py (the driver): user data, shown as typed in any language.
USER_DATA = ["It was broken", "Buyer damaged it", "Used item", "broken zip", "Money back"]
USER_DATA += ["The photos show the defect.", "Acme Store", "Wool Jacket"]


def rendered(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_every_buyer_page_in_english_has_no_chinese_ui_text(every_buyer_page, buyer):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    anonymous = [rendered(client, reverse(n)) for n in ANONYMOUS_PAGES]
    client.force_login(buyer)
    missing = client.get("/no-such-page/").content.decode()

    for url, html in [
        *zip(ANONYMOUS_PAGES, anonymous, strict=True),
        ("404", missing),
        *((u, rendered(client, u)) for u in every_buyer_page),
    ]:
        text = visible_text(html)
        assert not CJK.search(text), f"{url}: {CJK.findall(text)[:10]} in\n{text}"


def test_every_buyer_page_in_chinese_has_no_english_ui_text(every_buyer_page, buyer):
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-CN")
    anonymous = [rendered(client, reverse(n)) for n in ANONYMOUS_PAGES]
    client.force_login(buyer)
    english = english_msgids()
    assert "Apply for platform intervention" in english  # the catalogue was read

    for url, html in [
        *zip(ANONYMOUS_PAGES, anonymous, strict=True),
        ("404", client.get("/no-such-page/").content.decode()),
        *((u, rendered(client, u)) for u in every_buyer_page),
    ]:
        text = visible_text(html)
        # The top bar names the user as they signed up ("buyer" is also a msgid).
        for typed in [*USER_DATA, buyer.username]:
            text = text.replace(typed, "")
        # Whole words: a stored code in a read attribute ("refund_only") is no msgid ("refund").
        found = sorted(
            w for w in english if re.search(rf"(?<![A-Za-z_]){re.escape(w)}(?![A-Za-z_])", text)
        )
        assert not found, f"{url}: untranslated {found} in\n{text}"
        assert CJK.search(text), url
