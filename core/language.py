"""The language a user reads notifications and e-mails in, kept in step with what they do."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache

from core.services import language_of, user_language_set


class RememberLanguageMiddleware:
    """Notifications and e-mails are written in the recipient's language: the language of
    their last request that named one (the language switcher's cookie or the browser's
    Accept-Language), as LocaleMiddleware chose it. Cached, so a request that changes
    nothing costs no query. API token users count too: DRF sets request.user by then."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        names_one = settings.LANGUAGE_COOKIE_NAME in request.COOKIES or request.headers.get(
            "Accept-Language"
        )
        language = getattr(request, "LANGUAGE_CODE", None)
        if user is not None and user.is_authenticated and names_one and language:
            key = f"user-language:{user.pk}"
            if cache.get(key) != language:
                if language_of(user) != language:
                    user_language_set(user=user, language=language)
                cache.set(key, language, timeout=3600)
        return response
