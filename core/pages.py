"""What every page does with a service: run it, turn a refusal into a message, act only once.

Views stay thin (Zulip's shape): fetch with an access check (404 otherwise) → `run_service`
→ redirect with a message (post/redirect/get). A `DomainError` never becomes an error page:
its message is shown on the page in the reader's language: bad input beside the field it names
when a form is given, any other refusal as a message.

    form = RefundForm(request.POST, request.FILES)
    if form.is_valid():
        refund = run_service(
            request,
            lambda: refund_file(buyer=request.user, order=order, **form.cleaned_data),
            form=form,
            success=_("Your request was sent to the shop."),
        )
        if refund is not None:
            return redirect(refund)
    # else fall through and re-render the form: every typed value is still in it

For a page with a form, `form_page` does all of it, once; for buttons that only post (cancel,
confirm receipt), `post_action` does.
Double submits: render `{{ form_token() }}` (core/templating.py) inside the form and
wrap the call in `once(request)`; the second submit of the same form redirects to where the
first one went instead of acting again.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from contextlib import contextmanager

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect

from core.errors import DomainError, InvalidInput
from core.models import IdempotencyKey

FORM_TOKEN_FIELD = "form_token"
_KEY_PREFIX = "page:"


def run_service[T](
    request: HttpRequest,
    action: Callable[[], T],
    *,
    success: str | None = None,
    form: forms.BaseForm | None = None,
) -> T | None:
    """Run `action`; on success add `success` as a message and return its result. On a
    DomainError return None: bad input goes on the form's field it names (or on the form); a
    refusal of the action itself (the role, the state) becomes a page message, shown even
    where the page no longer offers the form. `form_status` then gives the page's status."""
    try:
        result = action()
    except DomainError as error:
        if form is not None:
            form.refusal = error
        if form is not None and isinstance(error, InvalidInput):
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.error(request, error.message)
        return None
    if success:
        messages.success(request, success)
    return result


def form_status(request: HttpRequest, form: forms.BaseForm) -> int:
    """The status of a form page: 200 when first shown; shown again after a POST, the status
    of the service's refusal (403 for a role that may not, 409 for a state that does not
    allow it), else 400 for what was typed."""
    if request.method != "POST":
        return 200
    refusal = getattr(form, "refusal", None)
    return refusal.status if refusal is not None else 400


def post_action(
    request: HttpRequest,
    action: Callable[[], object],
    *,
    success: str,
    redirect_to: str,
) -> HttpResponse:
    """A POST-only button: run the service once and go back to `redirect_to` with a message."""
    with once(request) as done:
        if done.location:
            return HttpResponseRedirect(done.location)
        if run_service(request, action, success=success) is not None:
            done.location = redirect_to
    return redirect(redirect_to)


def form_page(
    request: HttpRequest,
    form: forms.BaseForm,
    *,
    action: Callable[[dict], object],
    success: str,
    to: Callable[[object], str],
    page: Callable[[], HttpResponse],
) -> HttpResponse:
    """A page with a form, acted on once: on a POST of a valid form, `action(cleaned_data)`
    runs through `run_service` and the answer redirects to `to(result)` with `success` (a
    second submit of the same form goes there too, without acting again). Otherwise `page()`
    shows the form: on a GET, or again after a refusal (as `run_service` places it; the page's
    status is `form_status`), everything typed kept."""
    if request.method == "POST":
        with once(request) as done:
            if not done.location and form.is_valid():
                result = run_service(
                    request, lambda: action(form.cleaned_data), form=form, success=success
                )
                if result is not None:
                    done.location = to(result)
        if done.location:
            return redirect(done.location)
    return page()


class CountedPaginator(Paginator):
    """A paginator given its count by a query the page makes anyway (e.g. the tabs' grouped
    counts), instead of a COUNT query of its own."""

    def __init__(self, object_list, per_page, *, count: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.count = count  # shadows Paginator.count, a cached_property


def new_form_token() -> str:
    return secrets.token_urlsafe(24)


class _Once:
    location: str | None = None


@contextmanager
def once(request: HttpRequest):
    """Act at most once per form token (the project's idempotency keys, one per user).

    Inside the block, `done.location` is set when this form was already submitted: redirect
    there. Otherwise act and, only if the action succeeded, set `done.location` to where the
    answer goes; it is stored with the key. The key row is inserted before the action, in its transaction, so a concurrent
    second submit waits for the first to commit and then sees it. A refused action rolls back
    the key too, so the person can correct and submit again.
    """
    token = (request.POST.get(FORM_TOKEN_FIELD) or "").strip()
    done = _Once()
    if not token or not request.user.is_authenticated:
        yield done
        return
    key = _KEY_PREFIX + token[:200]
    fingerprint = hashlib.sha256(f"{request.method}\0{request.path}".encode()).hexdigest()
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = IdempotencyKey.objects.create(
                    user=request.user, key=key, fingerprint=fingerprint
                )
        except IntegrityError:
            first = IdempotencyKey.objects.get(user=request.user, key=key)
            done.location = (first.response_body or {}).get("location") or request.path
            yield done
            return
        yield done
        if not done.location:  # refused, or the form is shown again: the key is not spent
            transaction.set_rollback(True)
            return
        record.response_status = 303
        record.response_body = {"location": done.location}
        record.save(update_fields=["response_status", "response_body"])
