"""The text of a notification, stored as its English msgid and parameters and put into words
when it is read, in the reader's language: the page's or the API request's, or the recipient's
for an e-mail. A text rendered when written would stay in the language of that moment.

Write one as `notice(gettext_noop("… %(order)s …"), order=order.number)`: gettext_noop marks
the msgid for makemessages and leaves it English, which is what is stored.

Two parameters are not words: `link`, the page where the reader acts on the notice, and
`picture`, the goods' picture a page shows beside it, each a `Page` reversed when read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.apps import apps
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext

# Moments read as the pages show them (`deadline()` of core/templating.py), in
# local time.
MOMENT_FORMAT = "Y-m-d H:i"


@dataclass(frozen=True)
class Labelled:
    """A stored code of a model field with choices (a refund kind, a ruling outcome…), shown as
    its choice label in the reader's words. `field` is "app_label.model.field"."""

    field: str
    value: str

    @classmethod
    def of(cls, obj, field_name: str) -> Labelled:
        return cls(f"{obj._meta.label_lower}.{field_name}", getattr(obj, field_name))


@dataclass(frozen=True)
class Page:
    """A page of the site by its URL name and arguments, stored as such and reversed when read
    (a notice keeps no path that a change of URLs would break)."""

    name: str
    args: tuple = ()


# Notifications written before the labels were the models' name the field by these words.
_FIELD_OF_OLD_GROUP = {
    "refund_kind": "disputes.refundrequest.kind",
    "ruling_outcome": "disputes.ruling.outcome",
    "appeal_decision": "disputes.appeal.decision",
}


def _choice_label(field: str, value: str) -> str:
    app_label, model_name, field_name = _FIELD_OF_OLD_GROUP.get(field, field).split(".")
    choices = apps.get_model(app_label, model_name)._meta.get_field(field_name).flatchoices
    return str(dict(choices).get(value, value))


@dataclass(frozen=True)
class Notice:
    msgid: str
    params: dict = field(default_factory=dict)


def notice(msgid: str, /, **params) -> Notice:
    return Notice(msgid, {name: _stored(value) for name, value in params.items()})


def _stored(value):
    """The JSON form of a parameter: what cannot wait (a number, typed text) as it is;
    money as its exact decimal string; a moment and a code tagged, to be put in words later."""
    if isinstance(value, (int, str)):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return {"moment": value.isoformat()}
    if isinstance(value, Labelled):
        return {"label": [value.field, value.value]}
    if isinstance(value, Page):
        return {"page": [value.name, *value.args]}
    raise TypeError(f"A notice parameter cannot be a {type(value).__name__}.")


def _shown(value) -> str | int:
    if isinstance(value, dict) and "moment" in value:
        moment = timezone.localtime(datetime.fromisoformat(value["moment"]))
        return date_format(moment, MOMENT_FORMAT)
    if isinstance(value, dict) and "label" in value:
        return _choice_label(*value["label"])
    return value


class _Shown(dict):
    """The parameters as the text shows them; one the text names and the row lacks (a row
    written before its msgid's translation named more) reads as a dash, not an error."""

    def __missing__(self, name: str) -> str:
        return "—"


def notice_text(message: str, params: dict | None) -> str:
    """The notification's text in the active language. `params` None marks a text stored
    as it reads (the notifications written before msgids were stored)."""
    if params is None:
        return message
    text = gettext(message)
    # A text without parameters is not %-formatted (a "%" in it stays as written).
    return (
        text % _Shown({name: _shown(value) for name, value in params.items()}) if params else text
    )


def notice_page(params: dict | None, name: str) -> str | None:
    """The path of the `Page` stored as parameter `name` (`link`, `picture`), or None: a row
    without one, or a page the site no longer has."""
    value = (params or {}).get(name)
    if not (isinstance(value, dict) and isinstance(value.get("page"), list)):
        return None
    page_name, *args = value["page"]
    try:
        return reverse(page_name, args=args)
    except NoReverseMatch:
        return None
