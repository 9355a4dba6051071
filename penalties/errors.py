"""The refusals of penalty points and restrictions."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.errors import ErrorCode, InvalidInput, PermissionDenied, TransitionNotAllowed


class PenaltyErrorCode(ErrorCode):
    SUPERVISORS_ONLY = (
        "supervisors_only",
        PermissionDenied,
        _("Only platform supervisors lift restrictions and adjust penalty points."),
    )
    RESTRICTION_NOT_IN_FORCE = (
        "restriction_not_in_force",
        TransitionNotAllowed,
        _("This restriction is not in force."),
    )
    POINTS_NOT_WHOLE = (
        "points_not_whole",
        InvalidInput,
        _("Enter the points as a whole number."),
    )
    POINTS_ZERO = (
        "points_zero",
        InvalidInput,
        _("Enter the points to add, or to remove with a minus sign."),
    )
    POINTS_BELOW_ZERO = (
        "points_below_zero",
        InvalidInput,
        _("The shop has %(points)s points this period: at most %(points)s can be removed."),
    )
