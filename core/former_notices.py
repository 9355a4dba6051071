"""The texts notices were written with before they named the goods, the order and what to do
next. Stored rows keep their msgid, so these stay in the catalogue and old notices still read
in the reader's language; no new notice uses them."""

from __future__ import annotations

from django.utils.translation import gettext_noop

FORMER_NOTICES = (
    gettext_noop(
        "Reminder: give the platform your evidence on order %(order)s by %(deadline)s; after that the case is reviewed without it."
    ),
    gettext_noop(
        "Reminder: answer the after-sales request on order %(order)s by %(deadline)s, or it is approved automatically."
    ),
    gettext_noop(
        "Reminder: edit your request on order %(order)s or apply for platform intervention by %(deadline)s, or it closes."
    ),
    gettext_noop(
        "Reminder: accept or decline the shop's offer on order %(order)s by %(deadline)s, or the request closes."
    ),
    gettext_noop(
        "Reminder: send the goods of order %(order)s back and enter the tracking number by %(deadline)s, or the request closes."
    ),
    gettext_noop(
        "Reminder: confirm the returned parcel of order %(order)s by %(deadline)s, or the refund is paid automatically."
    ),
    gettext_noop("The appeal on refund #%(refund)s was decided: %(decision)s. %(note)s"),
    gettext_noop("The shop appealed the ruling on refund #%(refund)s."),
    gettext_noop("Refund #%(refund)s was approved automatically: you did not answer in time."),
    gettext_noop("Refund #%(refund)s closed: the window to act ran out."),
    gettext_noop("The platform ruled on refund #%(refund)s: %(outcome)s. %(rationale)s"),
    gettext_noop(
        "The buyer asked the platform to step in on refund #%(refund)s: give your statement and evidence by %(deadline)s."
    ),
    gettext_noop(
        "The platform is stepping in. The shop has until %(deadline)s to give its evidence."
    ),
    gettext_noop("The shop wrote a message on your after-sales request for order %(order)s."),
    gettext_noop("The platform wrote a message on your after-sales request for order %(order)s."),
    gettext_noop("The buyer wrote a message on the after-sales request for order %(order)s."),
    gettext_noop("The platform wrote a message on the after-sales request for order %(order)s."),
    gettext_noop(
        "The shop offers ¥%(amount)s instead of the ¥%(asked)s asked on order %(order)s, once the goods are back: “%(message)s”. Accept or decline it by %(deadline)s."
    ),
    gettext_noop(
        "The shop offers ¥%(amount)s instead of the ¥%(asked)s asked on order %(order)s, and you keep the goods: “%(message)s”. Accept or decline it by %(deadline)s."
    ),
    gettext_noop(
        "New after-sales request (%(kind)s, ¥%(amount)s) on order %(order)s: answer by %(deadline)s."
    ),
    gettext_noop(
        "The shop rejected your request: “%(reason)s”. Edit it or apply for platform intervention by %(deadline)s."
    ),
    gettext_noop(
        "The buyer accepted your offer of ¥%(amount)s on order %(order)s: the goods come back by %(deadline)s."
    ),
    gettext_noop(
        "The buyer accepted your offer of ¥%(amount)s on order %(order)s: it is refunded."
    ),
    gettext_noop(
        "The buyer declined your offer of ¥%(amount)s on order %(order)s; they may edit the request or apply for platform intervention."
    ),
    gettext_noop("The buyer edited refund #%(refund)s."),
    gettext_noop("The buyer cancelled refund #%(refund)s."),
    gettext_noop(
        "The buyer shipped the return (%(courier)s %(tracking)s): confirm it by %(deadline)s."
    ),
    gettext_noop("The shop agreed: send the goods back by %(deadline)s."),
    gettext_noop("¥%(amount)s has been refunded for order %(order)s."),
    gettext_noop(
        "%(points)s penalty points for a lost dispute: %(total)s/%(threshold)s this year."
    ),
    gettext_noop("A restriction on your shop was lifted after a successful appeal."),
)
