"""Who may call an endpoint at all. Object access is decided by the *_visible_to selectors."""

from __future__ import annotations

from rest_framework.permissions import BasePermission

from core.roles import is_agent, is_supervisor


class IsPlatformAgent(BasePermission):
    message = "Only platform agents may do this."

    def has_permission(self, request, view) -> bool:
        return is_agent(request.user)


class IsPlatformSupervisor(BasePermission):
    message = "Only platform supervisors may do this."

    def has_permission(self, request, view) -> bool:
        return is_supervisor(request.user)
