"""售后工作台: the shop's open after-sales requests, and each request's page with the shop's
moves (approve, reject, a negotiation offer, refund without return, confirm a returned parcel,
concede, evidence) and 协商历史, where the shop reads and writes messages. The moves that pay
the buyer ask for a confirmation first."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from buyer.forms import MessageForm
from core.pages import form_page, form_status, post_action
from core.rules import get_rules
from core.templating import money
from disputes import services as disputes_services
from disputes.errors import DisputeErrorCode
from disputes.models import RefundKind
from disputes.policies import (
    may_act_on_refund,
    may_appeal,
    may_give_case_evidence,
    may_write_message,
    offer_cap,
    refund_actions,
)
from disputes.selectors import negotiation_history, refund_move, refund_offers
from orders.selectors import items_as_sold
from seller.forms import EvidenceForm, OfferForm, RejectForm
from seller.selectors import is_low_value, is_overdue, seller_queue, shop_refunds
from seller.views.common import QUEUE_PAGE_SIZE, staff_shop


@login_required
def queue(request):
    """售后工作台: the shop's open after-sales requests, its own moves first, by deadline."""
    shop = staff_shop(request)
    now = timezone.now()
    page = Paginator(seller_queue(shop_id=shop.pk), QUEUE_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    for refund in page:
        refund.overdue = is_overdue(refund.due, now)
    return render(request, "seller/queue.html", {"shop": shop, "page": page, "section": "queue"})


def _refund_page(
    request,
    shop,
    refund,
    *,
    reject_form=None,
    offer_form=None,
    evidence_form=None,
    message_form=None,
    status=200,
):
    now = timezone.now()
    cap = offer_cap(refund)
    intervention = getattr(refund, "intervention", None)
    ruling = getattr(intervention, "ruling", None) if intervention else None
    actions = refund_actions(refund, request.user, now=now)
    approve = may_act_on_refund(refund, request.user, "approve", now=now)
    return render(
        request,
        "seller/refund.html",
        {
            "shop": shop,
            "refund": refund,
            "items": items_as_sold(refund.order_id),
            "move": refund_move(refund),
            "actions": actions,
            # Approving a return copies the shop's default address: without one the page
            # says so and links to adding one, where the button would be.
            "no_return_address": not approve
            and approve.error.code == DisputeErrorCode.NO_RETURN_ADDRESS,
            "intervention": intervention,
            "ruling": ruling,
            "appeal_verdict": may_appeal(ruling, request.user, now=now) if ruling else None,
            "may_give_evidence": intervention is not None
            and may_give_case_evidence(intervention, request.user, now=now).allowed,
            "low_value": is_low_value(refund),
            "low_value_limit": get_rules().low_value_item,
            "evidence": list(refund.evidence.all()),
            "reject_form": reject_form or RejectForm(),
            "offers": list(refund_offers(refund)),
            "offer_cap": cap,
            "offer_form": offer_form or OfferForm(cap=cap),
            "evidence_form": evidence_form or EvidenceForm(),
            "history": negotiation_history(refund),
            "can_write": may_write_message(refund, request.user).allowed,
            "message_form": message_form or MessageForm(),
            "section": "queue",
        },
        status=status,
    )


@login_required
def refund_detail(request, pk: int):
    shop = staff_shop(request)
    refund = get_object_or_404(shop_refunds(shop.pk), pk=pk)
    return _refund_page(request, shop, refund)


@dataclass(frozen=True)
class Confirmation:
    """What the confirmation page of a money action asks (with the amount) and says follows."""

    question: str
    what_follows: str
    submit: str


def _confirmation(refund, action: str) -> Confirmation:
    amount = money(refund.amount)
    if action == "approve" and refund.kind == RefundKind.RETURN_AND_REFUND:
        return Confirmation(
            _("Approve the return?"),
            _(
                "The buyer sends the goods to your default return address; you refund "
                "%(amount)s once you confirm the parcel arrived."
            )
            % {"amount": amount},
            _("Approve return"),
        )
    return {
        "approve": Confirmation(
            _("Refund %(amount)s?") % {"amount": amount},
            _(
                "The refund goes back to the buyer the way they paid, and the request is then "
                "complete."
            ),
            _("Confirm the refund"),
        ),
        "approve_without_return": Confirmation(
            _("Refund %(amount)s without the goods back?") % {"amount": amount},
            _(
                "The buyer keeps the goods. The refund goes back to the buyer the way they paid, "
                "and the request is then complete."
            ),
            _("Confirm the refund"),
        ),
        "confirm_return": Confirmation(
            _("The parcel arrived: refund %(amount)s?") % {"amount": amount},
            _(
                "Confirm only once you received and checked the goods. The refund goes back to "
                "the buyer the way they paid, and the request is then complete."
            ),
            _("Confirm the refund"),
        ),
        "concede": Confirmation(
            _("Refund %(amount)s in full?") % {"amount": amount},
            _(
                "The refund goes back to the buyer the way they paid; the platform's case "
                "closes without a ruling and without penalty points."
            ),
            _("Confirm the refund"),
        ),
    }[action]


def _refund_action(request, pk: int, action: str, call, success: str):
    """A money action in two steps, so that no refund goes out on one click, and both work
    without JavaScript: the request page's button asks for the confirmation page (a GET, which
    changes nothing), whose button posts here and acts."""
    shop = staff_shop(request)
    refund = get_object_or_404(shop_refunds(shop.pk), pk=pk)
    here = reverse("seller-refund", args=[refund.pk])
    if request.method == "POST":
        return post_action(request, lambda: call(refund), success=success, redirect_to=here)
    verdict = may_act_on_refund(refund, request.user, action)
    if not verdict:
        messages.error(request, verdict.reason)
        return redirect(here)
    return render(
        request,
        "seller/confirm.html",
        {
            "shop": shop,
            "refund": refund,
            "items": items_as_sold(refund.order_id),
            "confirmation": _confirmation(refund, action),
            "action_url": request.path,
            "section": "queue",
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def refund_approve(request, pk: int):
    return _refund_action(
        request,
        pk,
        "approve",
        lambda refund: disputes_services.refund_approve(refund=refund, actor=request.user),
        _("You approved the request."),
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def refund_approve_without_return(request, pk: int):
    return _refund_action(
        request,
        pk,
        "approve_without_return",
        lambda refund: disputes_services.refund_approve_without_return(
            refund=refund, actor=request.user
        ),
        _("You refunded without asking for the item back."),
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def refund_confirm_return(request, pk: int):
    return _refund_action(
        request,
        pk,
        "confirm_return",
        lambda refund: disputes_services.refund_confirm_return(refund=refund, actor=request.user),
        _("You confirmed the returned parcel; the buyer is refunded."),
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def refund_concede(request, pk: int):
    return _refund_action(
        request,
        pk,
        "concede",
        lambda refund: disputes_services.refund_concede(refund=refund, actor=request.user),
        _("You conceded: the buyer is refunded in full and the case is closed without penalty."),
    )


@login_required
@require_POST
def refund_reject(request, pk: int):
    shop = staff_shop(request)
    refund = get_object_or_404(shop_refunds(shop.pk), pk=pk)
    form = RejectForm(request.POST, request.FILES)
    return form_page(
        request,
        form,
        action=lambda data: disputes_services.refund_reject(
            refund=refund, actor=request.user, reason=data["reason"], images=data["images"]
        ),
        success=_("You rejected the request. The buyer may edit it or ask the platform."),
        to=lambda _result: reverse("seller-refund", args=[refund.pk]),
        page=lambda: _refund_page(
            request, shop, refund, reject_form=form, status=form_status(request, form)
        ),
    )


@login_required
@require_POST
def refund_offer(request, pk: int):
    shop = staff_shop(request)
    refund = get_object_or_404(shop_refunds(shop.pk), pk=pk)
    form = OfferForm(request.POST, cap=offer_cap(refund))
    return form_page(
        request,
        form,
        action=lambda data: disputes_services.refund_offer(
            refund=refund,
            actor=request.user,
            amount=data["amount"],
            return_required=data["return_required"],
            message=data["message"],
        ),
        success=_("Your offer was sent to the buyer."),
        to=lambda _result: reverse("seller-refund", args=[refund.pk]),
        page=lambda: _refund_page(
            request, shop, refund, offer_form=form, status=form_status(request, form)
        ),
    )


@login_required
@require_POST
def case_evidence(request, pk: int):
    shop = staff_shop(request)
    refund = get_object_or_404(shop_refunds(shop.pk), pk=pk, intervention__isnull=False)
    form = EvidenceForm(request.POST, request.FILES)
    return form_page(
        request,
        form,
        action=lambda data: disputes_services.intervention_submit_evidence(
            intervention=refund.intervention,
            actor=request.user,
            statement=data["statement"],
            images=data["images"],
        ),
        success=_("Your evidence was sent to the platform."),
        to=lambda _result: reverse("seller-refund", args=[refund.pk]),
        page=lambda: _refund_page(
            request, shop, refund, evidence_form=form, status=form_status(request, form)
        ),
    )


@login_required
@require_POST
def refund_message(request, pk: int):
    """留言 to the buyer (and the platform once it stepped in); a refused message comes back on
    the request's page with what was typed."""
    shop = staff_shop(request)
    refund = get_object_or_404(shop_refunds(shop.pk), pk=pk)
    form = MessageForm(request.POST, request.FILES)
    return form_page(
        request,
        form,
        action=lambda data: disputes_services.refund_message_write(
            refund=refund, actor=request.user, text=data["text"], images=data["image"]
        ),
        success=_("Your message was sent."),
        to=lambda _message: reverse("seller-refund", args=[refund.pk]) + "#history",
        page=lambda: _refund_page(
            request, shop, refund, message_form=form, status=form_status(request, form)
        ),
    )
