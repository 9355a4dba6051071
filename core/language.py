"""The language a user reads notifications and e-mails in, kept in step with what they do."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache

from core.services import language_of, user_language_set

UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


class RememberLanguageMiddleware:
    """Notifications and e-mails are written in the recipient's language: the language of
    the last thing they did on the platform (a form, an API write, logging in, the language
    switcher), when that request named one — the switcher's cookie or Accept-Language — as
    LocaleMiddleware chose it. Reads are left alone, so pages keep their query counts; a
    write that changes nothing costs no query (cached). API token users count too: DRF has
    set request.user by the time the response comes back."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method not in UNSAFE_METHODS:
            return response
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return response
        switched = response.cookies.get(settings.LANGUAGE_COOKIE_NAME)
        if switched is not None:  # the language switcher answered with the new choice
            language = switched.value
        elif settings.LANGUAGE_COOKIE_NAME in request.COOKIES or request.headers.get(
            "Accept-Language"
        ):
            language = getattr(request, "LANGUAGE_CODE", None)
        else:
            return response
        key = f"user-language:{user.pk}"
        if language and cache.get(key) != language:
            if language_of(user) != language:
                user_language_set(user=user, language=language)
            cache.set(key, language, timeout=3600)
        return response
