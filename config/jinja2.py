"""The Jinja2 environment of the site's pages (templates/jinja2/; the admin stays on Django's
template engine). As Zulip does: Django's gettext behind the i18n extension, so that the pages
read the same catalogues as the rest of the project; `url`, `static` and the pages' helpers as
globals; the filters the pages use. Autoescaping, CSRF (`csrf_input`), the context processors
(the CSP nonce `csp_nonce`, messages, the unread badge) come from Django's Jinja2 backend."""

from __future__ import annotations

from django.template import defaultfilters
from django.templatetags.static import static
from django.utils import translation
from jinja2 import Environment

from core import templating
from disputes.models import RefundState
from seller import templating as seller_templating


def environment(**options) -> Environment:
    options.pop("autoescape", None)  # always on, whatever the settings say
    env = Environment(autoescape=True, extensions=["jinja2.ext.i18n"], **options)
    # Old-style gettext, as Django's tags behave: `_("…")` is escaped like any value, and a
    # `{% trans %}` block's text is the translator's markup with its values escaped.
    env.install_gettext_callables(
        translation.gettext,
        translation.ngettext,
        pgettext=translation.pgettext,
        npgettext=translation.npgettext,
    )
    env.globals.update(
        url=templating.url,
        static=static,
        deadline=templating.deadline,
        form_token=templating.form_token,
        countdown_words=templating.countdown_words,
        # 我的订单 reads its rows' latest request state as an annotation, without the row.
        RefundState=RefundState,
    )
    env.filters.update(
        money=templating.money,
        date=templating.date,
        machine_time=templating.machine_time,
        shows_note=templating.shows_note,
        linebreaksbr=defaultfilters.linebreaksbr,
        percent=seller_templating.percent,
        works_for_a_shop=seller_templating.works_for_a_shop,
    )
    return env
