"""售后工作台: the shop's open after-sales requests, and each request's page with the shop's
moves (approve, reject, a negotiation offer, refund without return, confirm a returned parcel,
concede, evidence) and 协商历史, where the shop reads and writes messages."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from buyer.forms import MessageForm
from core.pages import form_page, form_status, post_action
from core.rules import get_rules
from disputes import services as disputes_services
from disputes.models import RefundKind
from disputes.policies import (
    may_appeal,
    may_give_case_evidence,
    may_write_message,
    offer_cap,
    refund_actions,
)
from disputes.selectors import negotiation_history, refund_move, refund_offers
from merchants.selectors import default_return_address
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
            # says so and links to adding one, instead of a button the service would refuse.
            "no_return_address": refund.kind == RefundKind.RETURN_AND_REFUND
            and "approve" in actions
            and default_return_address(shop.pk) is None,
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


def _refund_action(request, pk: int, call, success: str):
    shop = staff_shop(request)
    refund = get_object_or_404(shop_refunds(shop.pk), pk=pk)
    return post_action(
        request,
        lambda: call(refund),
        success=success,
        redirect_to=reverse("seller-refund", args=[refund.pk]),
    )


@login_required
@require_POST
def refund_approve(request, pk: int):
    return _refund_action(
        request,
        pk,
        lambda refund: disputes_services.refund_approve(refund=refund, actor=request.user),
        _("You approved the request."),
    )


@login_required
@require_POST
def refund_approve_without_return(request, pk: int):
    return _refund_action(
        request,
        pk,
        lambda refund: disputes_services.refund_approve_without_return(
            refund=refund, actor=request.user
        ),
        _("You refunded without asking for the item back."),
    )


@login_required
@require_POST
def refund_confirm_return(request, pk: int):
    return _refund_action(
        request,
        pk,
        lambda refund: disputes_services.refund_confirm_return(refund=refund, actor=request.user),
        _("You confirmed the returned parcel; the buyer is refunded."),
    )


@login_required
@require_POST
def refund_concede(request, pk: int):
    return _refund_action(
        request,
        pk,
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
