"""The services' refusal messages in the page's language.

The services write their refusals in English (the API's `detail`). The pages show them in the
reader's language by matching the message against this table; a message not found here, or a
language with no translation, shows as the service wrote it. Words only: no rule is decided.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext, gettext_noop

_EXACT = frozenset(
    (
        gettext_noop("Attach at least one image."),
        gettext_noop("Buy at least one."),
        gettext_noop("Choose a reason from the list."),
        gettext_noop("Choose refund only or return and refund."),
        gettext_noop("Enter the amount as a number, e.g. 39.90."),
        gettext_noop("Enter the amount to refund."),
        gettext_noop("Enter the return parcel's tracking number."),
        gettext_noop("A tracking number has at most 64 characters."),
        gettext_noop("Give a statement or at least one image."),
        gettext_noop("Nothing has been shipped yet: ask for a refund only."),
        gettext_noop("Only the buyer and the shop may add evidence to this request."),
        gettext_noop("Only the buyer of an order can ask for its refund."),
        gettext_noop("The after-sales window for this order has closed."),
        gettext_noop("The amount has at most two decimal places."),
        gettext_noop("The amount must be more than ¥0."),
        gettext_noop("The evidence window of this intervention has closed."),
        gettext_noop("This order already has an open after-sales request."),
        gettext_noop("This product is not for sale."),
        gettext_noop("This request is finished: no more evidence can be added."),
        gettext_noop("This user name is taken."),
        gettext_noop("Choose a user name."),
        gettext_noop("You cannot buy from your own shop."),
        gettext_noop("A ruling can be appealed only once."),
        gettext_noop("The shop won this ruling: there is nothing to appeal."),
        gettext_noop("Cannot revise: the buyer has used every revision allowed for this request"),
        gettext_noop(
            "Cannot escalate: a refund request can be escalated to the platform only once"
        ),
    )
)

_PATTERNS = [
    (
        r"“(?P<name>.+)” is not a readable image\.",
        gettext_noop("“%(name)s” is not a readable image."),
    ),
    (
        r"“(?P<name>.+)” is larger than (?P<mb>\d+) MB\.",
        gettext_noop("“%(name)s” is larger than %(mb)s MB."),
    ),
    (
        r"“(?P<name>.+)” is (?P<format>\w+); send JPEG, PNG or WebP\.",
        gettext_noop("“%(name)s” is %(format)s; send JPEG, PNG or WebP."),
    ),
    (
        r"Each party may give at most (?P<n>\d+) images \((?P<given>\d+) given already\)\.",
        gettext_noop("Each party may give at most %(n)s images (%(given)s given already)."),
    ),
    (
        r"The amount may be at most ¥(?P<amount>[\d.]+) \(paid less already refunded\)\.",
        gettext_noop("The amount may be at most ¥%(amount)s (paid less already refunded)."),
    ),
    (
        r"The window to .+ closed at (?P<at>[\d\- :]+)\.",
        gettext_noop("The time allowed for this ended at %(at)s."),
    ),
    (
        r"An order that is .+ cannot be refunded\.",
        gettext_noop("An order in this state cannot be refunded."),
    ),
    (r"Cannot .+?: this .+ is .+\.", gettext_noop("Its current state does not allow this.")),
    (r"You may not .+ this .+\.", gettext_noop("This is not yours to do.")),
    (r".+ is required\.", gettext_noop("Fill in the required text.")),
    (
        r".+ may be at most (?P<n>\d+) characters\.",
        gettext_noop("The text may be at most %(n)s characters."),
    ),
]
_COMPILED = [(re.compile(rf"^{pattern}$"), template) for pattern, template in _PATTERNS]


def in_page_language(message: str) -> str:
    """`message` in the active language when this table knows it, else unchanged."""
    if message in _EXACT:
        return gettext(message)
    for pattern, template in _COMPILED:
        match = pattern.match(message)
        if match:
            translated = gettext(template)
            if translated == template:  # no translation in this language: keep the detail
                return message
            return translated % match.groupdict()
    return message
