"""Account pages, the personal center and notifications."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.accounts import email_verification_read
from core.forms import PasswordResetForm, SignupForm
from core.pages import run_service
from core.selectors import notifications_for
from core.services import (
    notifications_mark_read,
    user_email_verification_send,
    user_email_verify,
    user_register,
)

NOTIFICATIONS_SHOWN = 50


def _next_url(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@require_http_methods(["GET", "POST"])
def signup(request):
    if request.user.is_authenticated:
        return redirect("personal-center")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = run_service(
            request,
            lambda: user_register(
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
                email=form.cleaned_data["email"],
                language=get_language(),
            ),
            form=form,
            success=_("Welcome! Your account is ready.")
            + (
                " " + _("Open the link we e-mailed you to receive notices by e-mail too.")
                if form.cleaned_data["email"]
                else ""
            ),
        )
        if user is not None:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect(_next_url(request, "personal-center"))
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    return render(request, "registration/signup.html", {"form": form, "next": next_url})


@require_http_methods(["GET", "POST"])
def verify_email(request, token: str):
    """The link that proves an address: it shows a button, and the POST proves it (a link
    opened by a mail scanner proves nothing)."""
    if request.method == "POST":
        user = run_service(
            request,
            lambda: user_email_verify(token=token),
            success=_("Thank you: your e-mail address is confirmed."),
        )
        if user is not None:
            return redirect("personal-center" if request.user == user else "login")
    valid = request.method == "GET" and email_verification_read(token) is not None
    return render(
        request, "registration/verify_email.html", {"valid": valid}, status=200 if valid else 400
    )


@login_required
@require_POST
def verify_email_send(request):
    """Send the link that proves the signed-in user's address again."""
    if user_email_verification_send(user=request.user, language=get_language()):
        messages.success(request, _("We e-mailed you a new link: open it to confirm."))
    else:
        messages.error(request, _("No link was sent: try again later."))
    return redirect("personal-center")


class PasswordResetView(auth_views.PasswordResetView):
    """Django's flow; the e-mail goes out through the outbox (core.forms.PasswordResetForm)."""

    form_class = PasswordResetForm


@login_required
def notification_list(request):
    """The newest notifications; showing them marks them read."""
    shown = list(
        notifications_for(request.user).order_by("-created_at", "-id")[:NOTIFICATIONS_SHOWN]
    )
    notifications_mark_read(user=request.user, ids=[n.pk for n in shown if n.read_at is None])
    return render(request, "core/notification_list.html", {"notifications": shown})
