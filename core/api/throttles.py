"""Per-user rates for the actions people could flood (filing, escalating, uploading)."""

from __future__ import annotations

from rest_framework.settings import api_settings
from rest_framework.throttling import ScopedRateThrottle


class ActionRateThrottle(ScopedRateThrottle):
    """ScopedRateThrottle that reads the rates when asked, so settings overrides apply.

    DRF binds THROTTLE_RATES once at import; rules changed in settings must apply at once.
    """

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)
