"""The one domain error type: every refused action raises a subclass of DomainError."""

from __future__ import annotations


class DomainError(Exception):
    """A business rule refused the action. `code` is stable and machine-readable."""

    code = "domain_error"

    def __init__(self, message: str, *, code: str | None = None, field: str | None = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.field = field


class TransitionNotAllowed(DomainError):
    """The object's current state does not allow the action (the API's 409)."""

    code = "transition_not_allowed"

    def __init__(self, message: str, *, state: str):
        super().__init__(message)
        self.state = state


class PermissionDenied(DomainError):
    """The actor's role may never do this (the API's 403)."""

    code = "permission_denied"


class InvalidInput(DomainError):
    """The values given break a rule (the API's 400)."""

    code = "invalid"
