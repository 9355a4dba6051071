"""The helpers every page's templates use (config/jinja2.py hands them to Jinja): money,
URLs, dates, deadlines, form tokens, timeline notes."""

from __future__ import annotations

import functools
from datetime import datetime
from decimal import Decimal

from django.template import defaultfilters
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from core.pages import FORM_TOKEN_FIELD, new_form_token
from core.vocabulary import note_shown


@functools.lru_cache(maxsize=4096)
def _reversed(name: str, args: tuple, script_prefix: str, urlconf) -> str:
    return reverse(name, args=args, urlconf=urlconf)


def url(name: str, *args) -> str:
    """`{{ url("refund-detail", refund.pk) }}`, Django's `{% url %}`, remembered by name and
    arguments (and the script prefix and URLconf it was reversed under): the layout's links and
    a list's rows ask for the same URLs page after page, and each reverse() walks the URL
    patterns again. The most recent 4096 are kept."""
    return _reversed(name, args, get_script_prefix(), get_urlconf())


def money(value) -> str:
    if value is None or value == "":
        return ""
    return f"¥{Decimal(value):.2f}"


def time_left_words(deadline: datetime, now: datetime | None = None) -> str:
    """剩余 X 天 X 小时 / X d X h left, rounded down; "passed" once the deadline is behind us."""
    now = now or timezone.now()
    seconds = int((deadline - now).total_seconds())
    if seconds <= 0:
        return _("Deadline passed")
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    if days == 0 and hours == 0:
        return _("%(minutes)d min left") % {"minutes": max(1, rest // 60)}
    return _("%(days)d d %(hours)d h left") % {"days": days, "hours": hours}


def machine_time(value) -> str:
    """`<time datetime="{{ order.paid_at|machine_time }}">`: the moment in the page's time zone
    to the second. HTML accepts at most three digits of a second's fraction, and Django's "c"
    format and isoformat() write six."""
    if not value:
        return ""
    return timezone.localtime(value).isoformat(timespec="seconds")


def deadline(when, note: str = ""):
    """The absolute time and a countdown that static/js/countdown.js keeps current, escaped by
    format_html. A function rather than an included template: queues show it on every row."""
    if not when:
        return ""
    local = timezone.localtime(when)
    stamp = machine_time(when)
    return format_html(
        '<span class="deadline">{}<time datetime="{}">{}</time> · '
        '<span class="countdown" data-deadline="{}">{}</span></span>',
        f"{note} " if note else "",
        stamp,
        f"{local:%Y-%m-%d %H:%M}",
        stamp,
        time_left_words(when),
    )


def form_token():
    """A hidden one-time token: the same form submitted twice acts once (core.pages.once)."""
    return format_html(
        '<input type="hidden" name="{}" value="{}">', FORM_TOKEN_FIELD, new_form_token()
    )


def countdown_words():
    """The countdown's words for static/js/countdown.js, as data attributes of <body>."""
    return format_html(
        'data-left-dh="{}" data-left-m="{}" data-passed="{}"',
        _("%(days)d d %(hours)d h left"),
        _("%(minutes)d min left"),
        _("Deadline passed"),
    )


def shows_note(entry) -> bool:
    """Whether a timeline shows this audit entry's note: what a party typed, declared on its
    transition with `custom={"shows_note": True}` (core.vocabulary)."""
    return bool(entry.note) and note_shown(entry.action)


def date(value, format_string: str | None = None) -> str:
    """`{{ order.paid_at|date("Y-m-d H:i") }}`: Django's date filter, in the page's time zone
    and language (the Django template engine converts to local time before its filter runs)."""
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return defaultfilters.date(value, format_string)
