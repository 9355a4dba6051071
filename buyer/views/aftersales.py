"""After-sales (售后): the request form, 售后详情 with the buyer's actions, and the intervention.

Each page fetches through the buyer's own selectors (another buyer's pk answers 404), asks the
policies what may be done now, calls one service, and redirects with a message. Nothing here
decides a rule: the buttons shown are the policies' `refund_actions` / `intervention_actions`, and a
refusal is the service's own message.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from buyer.forms import (
    CaseEvidenceForm,
    EscalateForm,
    EvidenceForm,
    MessageForm,
    RefundForm,
    ReviseForm,
    ShipReturnForm,
)
from core.pages import form_page, form_status, post_action
from disputes import services
from disputes.models import OfferOutcome
from disputes.policies import (
    intervention_actions,
    may_add_evidence,
    may_file_refund,
    may_write_message,
    refund_actions,
)
from disputes.selectors import (
    buyer_interventions,
    buyer_refund_list,
    buyer_refunds,
    case_evidence,
    intervention_move,
    interventions_visible_to,
    negotiation_history,
    refund_move,
    refund_offers,
    refund_steps,
    refunds_visible_to,
)
from orders.selectors import buyer_order_counts, buyer_orders

# 退款/售后 lists this many requests a page, as 我的订单 lists orders.
PAGE_SIZE = 20
# The refund actions that are the buyer's to take, in the order the page offers them.
BUYER_ACTIONS = ("accept_offer", "decline_offer", "escalate", "revise", "ship_return", "cancel")


def _refund_url(refund) -> str:
    return reverse("refund-detail", args=[refund.pk])


def _own_refund(request, pk: int):
    return get_object_or_404(
        buyer_refunds(request.user).select_related("intervention", "intervention__ruling"), pk=pk
    )


def _form_page(request, form, *, template: str, context: dict, **submit):
    """A buyer's form page (`core.pages.form_page`) drawn from `template` with `context`."""
    return form_page(
        request, form, page=lambda: render(request, template, {**context, "form": form}), **submit
    )


@login_required
def refund_list(request):
    """退款/售后: the buyer's own requests, newest first, a page at a time (我的订单's last tab)."""
    page = Paginator(buyer_refund_list(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    # the tabs of 我的订单 above it, with their counts
    counts = buyer_order_counts(request.user)
    return render(request, "buyer/refund_list.html", {"page": page, "counts": counts})


@login_required
@require_http_methods(["GET", "POST"])
def refund_new(request, order_pk: int):
    """申请售后 on one of the buyer's orders, while the policy allows it."""
    order = get_object_or_404(buyer_orders(request.user), pk=order_pk)
    verdict = may_file_refund(order, request.user)
    if request.method == "GET" and not verdict:  # a POST gets the service's own refusal
        messages.error(request, verdict.reason)
        return redirect("order-detail", pk=order.pk)
    form = RefundForm(
        request.POST or None,
        request.FILES or None,
        initial={"kind": "refund_only", "amount": order.refundable_amount},
    )
    return _form_page(
        request,
        form,
        template="buyer/refund_form.html",
        context={"order": order},
        action=lambda data: services.refund_file(
            buyer=request.user,
            order=order,
            kind=data["kind"],
            reason=data["reason"],
            amount=data["amount"],
            description=data["description"],
            images=data["image"],
        ),
        success=_("Your request was sent to the shop."),
        to=_refund_url,
    )


def _refund_page(request, refund, *, ship_form=None, message_form=None, status=200):
    actions = refund_actions(refund, request.user, among=BUYER_ACTIONS)
    offers = list(refund_offers(refund))
    return render(
        request,
        "buyer/refund_detail.html",
        {
            "refund": refund,
            "order": refund.order,
            "intervention": getattr(refund, "intervention", None),
            "move": refund_move(refund),
            "steps": refund_steps(refund),
            "actions": actions,
            "can_add_evidence": bool(may_add_evidence(refund, request.user)),
            "offers": offers,
            "open_offer": next((o for o in offers if o.outcome == OfferOutcome.OPEN), None),
            "history": negotiation_history(refund),
            "can_write": bool(may_write_message(refund, request.user)),
            "message_form": message_form or MessageForm(),
            "evidence": list(case_evidence(refund)),
            "ship_form": ship_form or ShipReturnForm(),
            "evidence_form": EvidenceForm(),
        },
        status=status,
    )


@login_required
def refund_detail(request, pk: int):
    """售后详情: the state in words, whose move and by when, 协商历史 (the steps and the
    messages), the evidence, where to send a return, and the buyer's actions now."""
    return _refund_page(request, _own_refund(request, pk))


@login_required
@require_POST
def refund_message(request, pk: int):
    """留言 to the shop (and the platform once it stepped in); a refused message comes back on
    the request's page with what was typed."""
    refund = _own_refund(request, pk)
    form = MessageForm(request.POST, request.FILES)
    return form_page(
        request,
        form,
        action=lambda data: services.refund_message_write(
            refund=refund, actor=request.user, text=data["text"], images=data["image"]
        ),
        success=_("Your message was sent."),
        to=lambda _message: _refund_url(refund) + "#history",
        page=lambda: _refund_page(
            request, refund, message_form=form, status=form_status(request, form)
        ),
    )


@login_required
@require_POST
def refund_cancel(request, pk: int):
    refund = _own_refund(request, pk)
    return post_action(
        request,
        lambda: services.refund_cancel(refund=refund, actor=request.user),
        success=_("Your request was cancelled."),
        redirect_to=_refund_url(refund),
    )


@login_required
@require_POST
def refund_accept_offer(request, pk: int):
    refund = _own_refund(request, pk)
    return post_action(
        request,
        lambda: services.refund_accept_offer(refund=refund, actor=request.user),
        success=_("You accepted the shop's offer."),
        redirect_to=_refund_url(refund),
    )


@login_required
@require_POST
def refund_decline_offer(request, pk: int):
    refund = _own_refund(request, pk)
    return post_action(
        request,
        lambda: services.refund_decline_offer(refund=refund, actor=request.user),
        success=_(
            "You declined the shop's offer. You may edit your request or apply for platform "
            "intervention."
        ),
        redirect_to=_refund_url(refund),
    )


@login_required
@require_POST
def refund_ship_return(request, pk: int):
    """填写退货物流: the courier and the tracking number; a mistake is shown beside its field on
    the request's page, with what was typed kept."""
    refund = _own_refund(request, pk)
    form = ShipReturnForm(request.POST)
    return form_page(
        request,
        form,
        action=lambda data: services.refund_ship_return(
            refund=refund,
            actor=request.user,
            courier=data["courier"],
            tracking_number=data["tracking_number"],
        ),
        success=_("Return tracking sent to the shop."),
        to=_refund_url,
        page=lambda: _refund_page(
            request, refund, ship_form=form, status=form_status(request, form)
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def refund_add_evidence(request, pk: int):
    refund = _own_refund(request, pk)
    return _form_page(
        request,
        EvidenceForm(request.POST or None, request.FILES or None),
        template="buyer/evidence_form.html",
        context={"refund": refund},
        action=lambda data: services.refund_add_evidence(
            refund=refund, actor=request.user, images=data["image"]
        ),
        success=_("Evidence added."),
        to=lambda _result: _refund_url(refund),
    )


@login_required
@require_http_methods(["GET", "POST"])
def refund_revise(request, pk: int):
    refund = _own_refund(request, pk)
    form = ReviseForm(
        request.POST or None,
        request.FILES or None,
        initial={
            "reason": refund.reason,
            "amount": refund.amount,
            "description": refund.description,
        },
    )
    return _form_page(
        request,
        form,
        template="buyer/refund_form.html",
        context={"order": refund.order, "refund": refund},
        action=lambda data: services.refund_revise(
            refund=refund,
            actor=request.user,
            amount=data["amount"],
            reason=data["reason"],
            description=data["description"],
            images=data["image"],
        ),
        success=_("Your edited request was sent to the shop."),
        to=_refund_url,
    )


@login_required
@require_http_methods(["GET", "POST"])
def refund_escalate(request, pk: int):
    """申请平台介入: offered only when the policy allows it (after the shop rejected)."""
    refund = _own_refund(request, pk)
    return _form_page(
        request,
        EscalateForm(request.POST or None, request.FILES or None),
        template="buyer/escalate_form.html",
        context={"refund": refund},
        action=lambda data: services.refund_escalate(
            refund=refund, actor=request.user, statement=data["statement"], images=data["image"]
        ),
        success=_("The platform has taken up your case."),
        to=lambda intervention: reverse("intervention-detail", args=[intervention.pk]),
    )


def _own_intervention(request, pk: int):
    return get_object_or_404(buyer_interventions(request.user), pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def intervention_detail(request, pk: int):
    """The case: the statements, both sides' evidence while the window is open, then the ruling."""
    intervention = _own_intervention(request, pk)
    refund = intervention.refund
    actions = intervention_actions(intervention, request.user)
    context = {
        "intervention": intervention,
        "refund": refund,
        "ruling": getattr(intervention, "ruling", None),
        "move": intervention_move(intervention),
        "actions": actions,
        "evidence": list(case_evidence(refund)),
    }
    return _form_page(
        request,
        CaseEvidenceForm(request.POST or None, request.FILES or None),
        template="buyer/intervention_detail.html",
        context=context,
        action=lambda data: services.intervention_submit_evidence(
            intervention=intervention,
            actor=request.user,
            statement=data["statement"],
            images=data["image"],
        ),
        success=_("Your evidence was given to the platform."),
        to=lambda _result: reverse("intervention-detail", args=[intervention.pk]),
    )


@login_required
def refund_open(request, pk: int):
    """Where a notification about a request leads: the buyer's page, or the seller center's
    for the shop's staff (404 for anyone else)."""
    refund = get_object_or_404(refunds_visible_to(request.user), pk=pk)
    if refund.buyer_id == request.user.pk:
        return redirect("refund-detail", pk=refund.pk)
    return redirect("seller-refund", pk=refund.pk)


@login_required
def intervention_open(request, pk: int):
    intervention = get_object_or_404(interventions_visible_to(request.user), pk=pk)
    if intervention.buyer_id == request.user.pk:
        return redirect("intervention-detail", pk=intervention.pk)
    return redirect("seller-refund", pk=intervention.refund_id)
