"""Refusals: every refused action raises a DomainError carrying one declared code.

Each domain declares its codes once, in an enum of its own (`<app>/errors.py`, as Saleor's
error codes): a member is the stable code the API answers with, the kind of refusal (the
DomainError subclass, whose `status` the API and the pages answer with: 400, 403 or 409) and a translatable
message with named `%(param)s` placeholders. A refusal is raised the way Django's
`ValidationError(message, code=, params=)` is, with the values the message names:

    raise DomainError(DisputeErrorCode.APPEAL_WINDOW_CLOSED, {"at": ruling.appeal_deadline})

The instance is of the subclass the code names (as `OSError(errno.ENOENT, …)` is a
FileNotFoundError), so `except TransitionNotAllowed` still catches by kind. `message` puts it
into words when it is read, in the reader's language: moments in local time, amounts with two
decimals, and lazy words (a model's choice label, a translatable noun) in that language.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


def _in_words(value: object) -> object:
    if isinstance(value, datetime):
        return f"{timezone.localtime(value):%Y-%m-%d %H:%M}"
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, Promise):
        return str(value)
    return value


class DomainError(Exception):
    """A business rule refused the action: `code` (an ErrorCode member) says which, `params`
    fill its message, `field` names the input at fault, `state` the state that refused."""

    def __new__(cls, code: ErrorCode, *args, **kwargs):
        if not issubclass(code.kind, cls):
            raise TypeError(f"{code!r} is raised as {code.kind.__name__}, not {cls.__name__}.")
        return super().__new__(code.kind)

    def __init__(
        self,
        code: ErrorCode,
        params: Mapping[str, object] | None = None,
        *,
        field: str | None = None,
        state: str | None = None,
    ):
        super().__init__(code, params)
        self.code = code
        self.params = dict(params or {})
        self.field = field
        self.state = state

    @property
    def message(self) -> str:
        """The refusal in the active language, its placeholders filled."""
        return str(self.code.message) % {k: _in_words(v) for k, v in self.params.items()}

    def __str__(self) -> str:
        return self.message


class TransitionNotAllowed(DomainError):
    """The object's current state (or a window, a guard) does not allow the action."""

    status = 409


class PermissionDenied(DomainError):
    """The actor's role may never do this."""

    status = 403


class InvalidInput(DomainError):
    """The values given break a rule."""

    status = 400


class ErrorCode(StrEnum):
    """The base of every domain's enum of refusals. A member is declared as
    `NAME = "code", Kind, _("Message with %(param)s.")`; it equals its code."""

    kind: type[DomainError]
    message: Promise

    def __new__(cls, code: str, kind: type[DomainError], message: Promise):
        member = str.__new__(cls, code)
        member._value_ = code
        member.kind = kind
        member.message = message
        return member


class CoreErrorCode(ErrorCode):
    """Refusals every app shares: the state machines', accounts', images' and texts'."""

    TRANSITION_NOT_ALLOWED = (
        "transition_not_allowed",
        TransitionNotAllowed,
        _("This cannot be done while the state is “%(state)s”."),
    )
    PERMISSION_DENIED = "permission_denied", PermissionDenied, _("This is not yours to do.")
    USERNAME_REQUIRED = "username_required", InvalidInput, _("Choose a user name.")
    USERNAME_LENGTH = (
        "username_length",
        InvalidInput,
        _("A user name has %(min)s to %(max)s characters."),
    )
    USERNAME_CHARACTERS = (
        "username_characters",
        InvalidInput,
        _(
            "A user name may contain only letters, digits and . _ - "
            "(no spaces, symbols or invisible characters)."
        ),
    )
    USERNAME_MIXED_SCRIPTS = (
        "username_mixed_scripts",
        InvalidInput,
        _("A user name may not mix alphabets (e.g. Latin with Cyrillic)."),
    )
    USERNAME_LOOKALIKE = (
        "username_lookalike",
        InvalidInput,
        _("This user name looks like a Latin one written in another alphabet."),
    )
    USERNAME_TAKEN = "username_taken", InvalidInput, _("This user name is taken.")
    LOGIN_REFUSED = "login_refused", InvalidInput, _("The user name or password is wrong.")
    EMAIL_TAKEN = (
        "email_taken",
        InvalidInput,
        _("Another account uses this e-mail address: log in to it, or reset its password."),
    )
    EMAIL_LINK_INVALID = (
        "email_link_invalid",
        InvalidInput,
        _("This link is not valid any more: log in and ask for a new one."),
    )
    PASSWORD_REFUSED = (
        "password_refused",
        InvalidInput,
        _("Choose another password: %(reasons)s"),
    )
    IMAGE_TOO_LARGE = (
        "image_too_large",
        InvalidInput,
        _("“%(name)s” is larger than %(megabytes)s MB."),
    )
    IMAGE_TOO_MANY_PIXELS = (
        "image_too_many_pixels",
        InvalidInput,
        _("“%(name)s” has more than %(megapixels)s megapixels."),
    )
    IMAGE_UNREADABLE = (
        "image_unreadable",
        InvalidInput,
        _("“%(name)s” is not a readable image."),
    )
    IMAGE_FORMAT = (
        "image_format",
        InvalidInput,
        _("“%(name)s” is %(format)s; send JPEG, PNG or WebP."),
    )
    AMOUNT_NOT_A_NUMBER = (
        "amount_not_a_number",
        InvalidInput,
        _("Type the digits 0–9 and at most one point, e.g. 39.90."),
    )
    AMOUNT_TOO_PRECISE = (
        "amount_too_precise",
        InvalidInput,
        _("The amount has at most two decimal places."),
    )
    TEXT_REQUIRED = "text_required", InvalidInput, _("%(what)s is required.")
    TEXT_TOO_LONG = (
        "text_too_long",
        InvalidInput,
        _("%(what)s may be at most %(limit)s characters."),
    )
