"""The admin reads in Chinese on a zh-hans request: every list and change page of the project's
own models, with real rows, shows its headers, filters, field labels and stored codes in the
models' translated words, never the English they are written in."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db.models import fields
from django.test import Client
from django.utils import translation

from core.models import (
    DeadlineReminder,
    EmailDelivery,
    IdempotencyKey,
    OutboxMessage,
    UserPreference,
)
from core.rules import get_rules
from disputes.models import (
    Appeal,
    Evidence,
    Intervention,
    PlatformReimbursement,
    RefundPayment,
    RefundRequest,
    RefundState,
    Ruling,
)
from disputes.services import refund_add_evidence
from merchants.models import Shop
from orders.models import Order
from penalties.models import PenaltyRecord, Restriction
from penalties.services import shop_points_adjust
from tests.admin.conftest import admin_path, png
from tests.factories import make_supervisor

pytestmark = pytest.mark.django_db

PROJECT_APPS = {"core", "merchants", "orders", "disputes", "penalties"}
CJK = re.compile(r"[\u3400-\u9fff]")
# Words that read the same in both languages.
SAME_IN_BOTH = {"ID"}


def project_admins():
    return sorted(
        (
            (model, model_admin)
            for model, model_admin in admin.site._registry.items()
            if model._meta.app_label in PROJECT_APPS
        ),
        key=lambda pair: pair[0]._meta.label,
    )


def model_words(model):
    """What the admin shows of a model's own declarations: its names, its fields' names and
    help, and the labels of their choices."""
    yield model._meta.verbose_name
    yield model._meta.verbose_name_plural
    for field in model._meta.get_fields():
        if not (field.concrete or field.many_to_many):
            continue
        yield field.verbose_name
        if field.help_text:
            yield field.help_text
        for _value, label in field.flatchoices:
            yield label


def admin_words(model_admin):
    """The column headers and filter titles an admin declares itself."""
    for name in model_admin.list_display:
        description = getattr(getattr(model_admin, name, None), "short_description", None)
        if description:
            yield description
    for list_filter in model_admin.list_filter:
        if isinstance(list_filter, type) and hasattr(list_filter, "title"):
            yield list_filter.title


def in_language(words, language: str) -> str:
    with translation.override(language):
        return str(words)


class VisibleText(HTMLParser):
    """The text nodes a person reads (scripts and styles skipped), and the read attributes."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style"}:
            self._skip += 1
        self.parts.extend(v for k, v in attrs if k in {"title", "placeholder", "aria-label"} and v)

    def handle_endtag(self, tag):
        if tag in {"script", "style"}:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.parts.append(data.strip())


def visible_text(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    return parser.parts


@pytest.fixture
def every_model_has_rows():
    """The demo's marketplace (every order, refund and case state), plus a row of each
    bookkeeping model the demo does not write."""
    call_command("load_demo", "--force", stdout=open("/dev/null", "w"))  # noqa: SIM115
    user = get_user_model().objects.filter(is_staff=False).first()
    ruling = Ruling.objects.first()
    IdempotencyKey.objects.create(user=user, key="k-1", fingerprint="f" * 64, response_status=201)
    OutboxMessage.objects.create(task="core.tasks.example", kwargs={"id": 1})
    EmailDelivery.objects.create(
        key="e-1", recipient=user, address="a@example.com", language="zh-hans", subject="s"
    )
    DeadlineReminder.objects.get_or_create(
        target_type=ContentType.objects.get_for_model(Ruling),
        target_id=ruling.pk,
        deadline=ruling.appeal_deadline,
    )
    UserPreference.objects.get_or_create(user=user, defaults={"language": "zh-hans"})
    refund = RefundRequest.objects.filter(state=RefundState.REQUESTED).first()
    refund_add_evidence(refund=refund, actor=refund.buyer, images=[png()])
    if not Restriction.objects.exists():
        shop_points_adjust(
            shop=Shop.objects.first(),
            actor=make_supervisor(),
            points=get_rules().restriction_threshold,
            reason="Repeated lost disputes",
        )
    for model, _admin in project_admins():
        assert model._default_manager.exists(), f"no {model._meta.label} row to show"


def test_every_word_the_project_declares_for_the_admin_has_its_chinese_translation():
    untranslated = []
    for model, model_admin in project_admins():
        for words in (*model_words(model), *admin_words(model_admin)):
            english = in_language(words, "en")
            if english not in SAME_IN_BOTH and not CJK.search(in_language(words, "zh-hans")):
                untranslated.append(f"{model._meta.label}: {english}")

    assert not untranslated, untranslated


def test_every_admin_page_of_the_projects_models_reads_in_chinese(every_model_has_rows):
    superuser = get_user_model().objects.create_superuser("root", "root@example.com", "pw-root-1")
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(superuser)
    english = {
        in_language(words, "en").casefold()
        for model, model_admin in project_admins()
        for words in (*model_words(model), *admin_words(model_admin))
    } - {words.casefold() for words in SAME_IN_BOTH}
    # The empty choice of every select and of the actions menu is Django's word, read here too.
    english.add(in_language(fields.BLANK_CHOICE_LABEL, "en").casefold())
    # What people are called is theirs, in any language (the demo has a "buyer" and an "agent").
    english -= {
        name.casefold() for name in get_user_model().objects.values_list("username", flat=True)
    }
    request = client.get(admin_path()).wsgi_request
    pages = []
    for model, model_admin in project_admins():
        url = admin_path(f"{model._meta.app_label}/{model._meta.model_name}/")
        pages.append(url)
        pages.append(f"{url}{model._default_manager.order_by('pk').first().pk}/change/")
        if model_admin.has_add_permission(request):
            pages.append(f"{url}add/")

    shown_in_english = []
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        for text in visible_text(response.content.decode()):
            # Django's zh-hans filter heading is "以 <title>"; a field label ends with ":".
            words = text.removeprefix("以").strip().rstrip(":：").strip().casefold()
            if words in english:
                shown_in_english.append(f"{url}: {text}")

    assert not shown_in_english, shown_in_english


# The models whose rows the admin names in the platform's words (a page's title, a breadcrumb, a
# related row's link); the others are named by what people typed (a shop's name, an address).
NAMED_IN_WORDS = [
    Order,
    RefundRequest,
    RefundPayment,
    Intervention,
    Evidence,
    Ruling,
    Appeal,
    PlatformReimbursement,
    PenaltyRecord,
    Restriction,
]


@pytest.mark.parametrize("model", NAMED_IN_WORDS, ids=lambda model: model.__name__)
def test_a_row_is_named_in_chinese_on_a_zh_request(every_model_has_rows, model):
    row = model._default_manager.order_by("pk").first()

    name = in_language(row, "zh-hans")

    assert CJK.search(name), name
    assert name != in_language(row, "en")
