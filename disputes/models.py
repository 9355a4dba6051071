"""Refund requests (after-sales), their evidence, platform interventions, rulings and appeals.

The state graphs of SPEC §4 and §5 live here. Transition bodies only set fields on self;
disputes.services locks the rows, checks the actor, saves and audits.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django_fsm import GET_STATE, RETURN_VALUE, FSMField, FSMModelMixin, transition

from core.fsm import refusal
from core.images import generated_name
from core.roles import is_agent, is_supervisor
from core.rules import get_rules
from core.vocabulary import declare_actions, declare_notification_kinds
from disputes.errors import DisputeErrorCode
from merchants.models import MONEY, Shop
from merchants.selectors import is_staff_of, party_role
from orders.models import Order


# The choices' labels are the words every face shows (pages, admin, API docs, e-mails), in the
# marketplace's settled vocabulary (SPEC §8).
class RefundKind(models.TextChoices):
    REFUND_ONLY = "refund_only", _("Refund only")
    RETURN_AND_REFUND = "return_and_refund", _("Return and refund")


class RefundReason(models.TextChoices):
    NOT_RECEIVED = "not_received", _("Not received")
    NOT_AS_DESCRIBED = "not_as_described", _("Not as described")
    QUALITY_PROBLEM = "quality_problem", _("Quality problem")
    DAMAGED_IN_TRANSIT = "damaged_in_transit", _("Damaged in transit")
    WRONG_ITEM = "wrong_item", _("Wrong item sent")
    NO_REASON_7_DAYS = "no_reason_7_days", _("Seven-day no-reason return")


class RefundState(models.TextChoices):
    REQUESTED = "requested", _("Waiting for the shop")
    AWAITING_RETURN = "awaiting_return", _("Return the item")
    RETURN_SHIPPED = "return_shipped", _("Return on its way")
    REJECTED = "rejected", _("Rejected by the shop")
    OFFERED = "offered", _("Offer from the shop")
    IN_INTERVENTION = "in_intervention", _("Platform reviewing")
    REFUNDED = "refunded", _("Refunded")
    CANCELLED = "cancelled", pgettext_lazy("refund", "Cancelled")
    CLOSED = "closed", _("Closed")


class RefundStep(models.TextChoices):
    """The steps of 售后详情's progress bar (`disputes.selectors.refund_steps`): the way a
    request goes, and the two ends short of a refund."""

    FILED = "filed", pgettext_lazy("after-sales step", "Request")
    SHOP = "shop", _("Shop handling")
    PLATFORM = "platform", _("Platform intervention")
    RETURN = "return", pgettext_lazy("after-sales step", "Return")
    REFUNDED = "refunded", _("Refund successful")
    CANCELLED = "cancelled", pgettext_lazy("after-sales step", "Cancelled")
    CLOSED = "closed", _("After-sales closed")


class Courier(models.TextChoices):
    """The couriers a buyer sends a return with (快递公司), the ones Chinese shoppers use most."""

    SF = "sf", _("SF Express")
    ZTO = "zto", _("ZTO Express")
    YTO = "yto", _("YTO Express")
    YUNDA = "yunda", _("Yunda Express")
    STO = "sto", _("STO Express")
    JT = "jt", _("J&T Express")
    JD = "jd", _("JD Logistics")
    EMS = "ems", _("EMS")
    OTHER = "other", _("Other courier")


class Party(models.TextChoices):
    BUYER = "buyer", _("Buyer")
    MERCHANT = "merchant", _("Shop")
    PLATFORM = "platform", _("Platform")


R = RefundState
OPEN_REFUND_STATES = [
    R.REQUESTED,
    R.AWAITING_RETURN,
    R.RETURN_SHIPPED,
    R.REJECTED,
    R.OFFERED,
    R.IN_INTERVENTION,
]
FINAL_REFUND_STATES = [R.REFUNDED, R.CANCELLED, R.CLOSED]
WHOSE_MOVE = {
    R.REQUESTED: Party.MERCHANT,
    R.AWAITING_RETURN: Party.BUYER,
    R.RETURN_SHIPPED: Party.MERCHANT,
    R.REJECTED: Party.BUYER,
    R.OFFERED: Party.BUYER,
}


# Who may act. django-fsm-2 does not check these itself: core.fsm.check_transition does.
def is_refund_buyer(refund: RefundRequest, user) -> bool:
    return user.is_authenticated and refund.buyer_id == user.pk


def is_refund_merchant(refund: RefundRequest, user) -> bool:
    return is_staff_of(user, refund.shop_id)


def is_platform_agent(obj, user) -> bool:
    return is_agent(user)


def is_platform_supervisor(obj, user) -> bool:
    return is_supervisor(user)


def system_only(obj, user) -> bool:
    return False


# Guards, each with the refusal a refused actor reads.
@refusal(DisputeErrorCode.NOT_A_RETURN_REQUEST)
def asks_for_return(refund: RefundRequest) -> bool:
    return refund.kind == RefundKind.RETURN_AND_REFUND


@refusal(DisputeErrorCode.RETURN_ORDERED_BY_PLATFORM)
def return_not_ordered_by_platform(refund: RefundRequest) -> bool:
    return not refund.platform_ordered_return


@refusal(DisputeErrorCode.NO_REVISIONS_LEFT)
def has_revisions_left(refund: RefundRequest) -> bool:
    return refund.revision_count < get_rules().max_revisions


@refusal(DisputeErrorCode.ESCALATED_BEFORE)
def not_escalated_before(refund: RefundRequest) -> bool:
    return refund.escalated_at is None


def _offer_state(refund: RefundRequest, *, return_required: bool, **kwargs) -> str:
    return R.AWAITING_RETURN if return_required else R.REFUNDED


def _approved_state(refund: RefundRequest, *, without_return: bool = False, **kwargs) -> str:
    if refund.kind == RefundKind.REFUND_ONLY or without_return:
        return R.REFUNDED
    return R.AWAITING_RETURN


# The audit action and the notification kind of a message (disputes/services/messages.py).
MESSAGE_ACTION, MESSAGE_NOTIFICATION = "message", "refund_message"
# What the services audit outside the transitions: a request filed, a case opened or taken, a
# message written (core.vocabulary).
declare_actions(
    file=_("After-sales request filed"),
    open=_("Intervention opened"),
    assign=_("An agent took the case"),
    message=_("Message written"),
)
declare_notification_kinds(
    refund_filed=_("New after-sales request"),
    refund_auto_approved=_("Request approved automatically"),
    refund_closed=_("After-sales closed"),
    refund_rejected=_("The shop rejected your request"),
    refund_revised=_("The buyer edited the request"),
    offer_made=_("The shop made an offer"),
    offer_accepted=_("The buyer accepted the offer"),
    offer_declined=_("The buyer declined the offer"),
    refund_cancelled=_("The buyer cancelled the request"),
    return_requested=_("The shop agreed: send the item back"),
    return_shipped=_("The buyer shipped the return"),
    refunded=_("Refunded"),
    intervention_opened=_("The platform stepped in"),
    ruling=_("The platform ruled"),
    appeal=_("The shop appealed"),
    appeal_decided=_("The appeal was decided"),
    deadline_reminder=_("A deadline is near"),
    refund_message=_("New message on an after-sales request"),
)


class RefundRequest(FSMModelMixin, models.Model):
    """A buyer's after-sales request on one order (at most one open per order).

    The length of every text a person writes here and on the case, ruling and appeal is the
    rules' `max_text_length`, checked by the services (core/rules.py), not by the columns.
    """

    order = models.ForeignKey(
        Order, on_delete=models.PROTECT, related_name="refunds", verbose_name=_("order")
    )
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("buyer"),
    )
    shop = models.ForeignKey(
        Shop, on_delete=models.PROTECT, related_name="refunds", verbose_name=_("shop")
    )
    kind = models.CharField(max_length=20, choices=RefundKind.choices, verbose_name=_("kind"))
    reason = models.CharField(max_length=24, choices=RefundReason.choices, verbose_name=_("reason"))
    description = models.TextField(blank=True, verbose_name=_("description"))
    amount = models.DecimalField(**MONEY, verbose_name=_("amount"))
    state = FSMField(
        default=R.REQUESTED, choices=R.choices, protected=True, verbose_name=_("state")
    )
    # Whose move it is ends at this moment; the system acts then (stored, never recomputed).
    deadline = models.DateTimeField(null=True, blank=True, verbose_name=_("deadline"))
    reminded_at = models.DateTimeField(null=True, blank=True, verbose_name=_("reminded at"))
    revision_count = models.PositiveSmallIntegerField(default=0, verbose_name=_("revision count"))
    rejection_reason = models.TextField(blank=True, verbose_name=_("rejection reason"))
    return_tracking_number = models.CharField(
        max_length=64, blank=True, verbose_name=_("return tracking number")
    )
    return_courier = models.CharField(
        max_length=8, choices=Courier.choices, blank=True, verbose_name=_("return courier")
    )
    # The shop's return address as it was when the return was agreed (copied, not linked: the
    # shop may edit or delete its addresses later, the parcel still goes here).
    return_to_name = models.CharField(max_length=50, blank=True, verbose_name=_("return recipient"))
    return_to_phone = models.CharField(max_length=20, blank=True, verbose_name=_("return phone"))
    return_to_region = models.CharField(max_length=100, blank=True, verbose_name=_("return region"))
    return_to_address = models.CharField(
        max_length=200, blank=True, verbose_name=_("return street address")
    )
    platform_ordered_return = models.BooleanField(
        default=False, verbose_name=_("platform ordered return")
    )
    auto_approved = models.BooleanField(default=False, verbose_name=_("auto approved"))
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))
    responded_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("responded at")
    )  # the merchant's first answer
    escalated_at = models.DateTimeField(null=True, blank=True, verbose_name=_("escalated at"))
    closed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("closed at"))

    class Meta:
        verbose_name = _("after-sales request")
        verbose_name_plural = _("after-sales requests")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["state", "deadline"]),
            models.Index(fields=["buyer", "-created_at"]),
            models.Index(fields=["shop", "-created_at"]),
            # The newest first for a merchant, who sees its shop's requests and its own as a
            # buyer (an OR no single-column index serves): walked until a page is full.
            models.Index(fields=["-created_at", "-id"], name="refund_newest_first"),
            # The seller center's queue: a shop's open requests, a few among its thousands.
            models.Index(
                fields=["shop"],
                condition=models.Q(state__in=OPEN_REFUND_STATES),
                name="refund_open_by_shop",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="refund_amount_positive"),
            models.UniqueConstraint(
                fields=["order"],
                condition=models.Q(state__in=OPEN_REFUND_STATES),
                name="one_open_refund_per_order",
            ),
        ]

    def __str__(self) -> str:
        return gettext("After-sales request #%(id)s on %(order)s") % {
            "id": self.pk,
            "order": self.order,
        }

    def party_role_of(self, user) -> str | None:
        """The side `user` is on here (the audit trail's role): buyer, merchant or None."""
        return party_role(user, buyer_id=self.buyer_id, shop_id=self.shop_id)

    @property
    def is_final(self) -> bool:
        return self.state in FINAL_REFUND_STATES

    @property
    def has_return_address(self) -> bool:
        """Whether a return address was copied onto the request (once a return was agreed)."""
        return bool(self.return_to_address)

    @transition(
        field=state,
        source=R.REQUESTED,
        target=GET_STATE(_approved_state, [R.REFUNDED, R.AWAITING_RETURN]),
        permission=is_refund_merchant,
        custom={
            "label": _("The shop approved"),
            # A return request approved is a return agreed: nothing is refunded yet.
            "label_into": {R.AWAITING_RETURN: _("The shop approved the return")},
            "update_fields": ["responded_at", "deadline", "closed_at"],
        },
    )
    def approve(self, *, now, return_deadline):
        self.responded_at = self.responded_at or now
        self._enter_approved(now, return_deadline)

    @transition(
        field=state,
        source=R.REQUESTED,
        target=R.REFUNDED,
        conditions=[asks_for_return],
        permission=is_refund_merchant,
        custom={
            "label": _("The shop refunded without return"),
            "update_fields": ["responded_at", "deadline", "closed_at"],
        },
    )
    def approve_without_return(self, *, now):
        self.responded_at = self.responded_at or now
        self._finish(now)

    @transition(
        field=state,
        source=R.REQUESTED,
        target=GET_STATE(_approved_state, [R.REFUNDED, R.AWAITING_RETURN]),
        permission=system_only,
        custom={
            "label": _("Approved automatically: the shop did not answer in time"),
            "update_fields": ["auto_approved", "deadline", "closed_at"],
        },
    )
    def auto_approve(self, *, now, return_deadline, without_return=False):
        """`without_return`: the shop has nowhere to send the goods, so the buyer keeps them."""
        self.auto_approved = True
        if without_return:
            self._finish(now)
        else:
            self._enter_approved(now, return_deadline)

    @transition(
        field=state,
        source=[R.REQUESTED, R.RETURN_SHIPPED],
        target=R.REJECTED,
        conditions=[return_not_ordered_by_platform],
        permission=is_refund_merchant,
        custom={
            "label": _("The shop rejected"),
            "shows_note": True,
            "update_fields": ["responded_at", "rejection_reason", "deadline"],
        },
    )
    def reject(self, *, now, reason, deadline):
        self.responded_at = self.responded_at or now
        self.rejection_reason = reason
        self.deadline = deadline

    @transition(
        field=state,
        source=R.REQUESTED,
        target=R.OFFERED,
        permission=is_refund_merchant,
        custom={
            "label": _("The shop made an offer"),
            "shows_note": True,
            "update_fields": ["responded_at", "deadline"],
        },
    )
    def offer(self, *, now, deadline):
        """协商方案: the shop's answer is an offer (a RefundOffer row) for the buyer to take or
        leave by `deadline`; it counts as the shop answering."""
        self.responded_at = self.responded_at or now
        self.deadline = deadline

    @transition(
        field=state,
        source=R.OFFERED,
        target=GET_STATE(_offer_state, [R.REFUNDED, R.AWAITING_RETURN]),
        permission=is_refund_buyer,
        custom={
            "label": _("The buyer accepted the offer"),
            "shows_note": True,
            "update_fields": ["amount", "deadline", "closed_at"],
        },
    )
    def accept_offer(self, *, now, amount, return_required, return_deadline):
        """The buyer takes the offer: the request is for the offered amount from now on."""
        self.amount = amount
        if return_required:
            self.deadline = return_deadline
        else:
            self._finish(now)

    @transition(
        field=state,
        source=R.OFFERED,
        target=R.REJECTED,
        permission=is_refund_buyer,
        custom={"label": _("The buyer declined the offer"), "update_fields": ["deadline"]},
    )
    def decline_offer(self, *, deadline):
        """The buyer turns the offer down: as after a rejection, the buyer may edit the
        request or apply for platform intervention by `deadline`."""
        self.deadline = deadline

    @transition(
        field=state,
        source=R.REJECTED,
        target=R.REQUESTED,
        conditions=[has_revisions_left],
        permission=is_refund_buyer,
        custom={
            "label": _("Request edited"),
            "shows_note": True,
            "update_fields": [
                "amount",
                "reason",
                "description",
                "revision_count",
                "rejection_reason",
                "deadline",
            ],
        },
    )
    def revise(self, *, amount, reason, description, deadline):
        self.amount = amount
        self.reason = reason
        self.description = description
        self.revision_count += 1
        self.rejection_reason = ""
        self.deadline = deadline

    @transition(
        field=state,
        source=R.REJECTED,
        target=R.IN_INTERVENTION,
        conditions=[not_escalated_before],
        permission=is_refund_buyer,
        custom={
            "label": _("Platform intervention requested"),
            "shows_note": True,
            "update_fields": ["escalated_at", "deadline"],
        },
    )
    def escalate(self, *, now):
        self.escalated_at = now
        self.deadline = None  # the intervention's deadlines apply from now on

    @transition(
        field=state,
        source=[R.REQUESTED, R.REJECTED, R.OFFERED, R.AWAITING_RETURN],
        target=R.CANCELLED,
        permission=is_refund_buyer,
        custom={"label": _("Cancelled by the buyer"), "update_fields": ["deadline", "closed_at"]},
    )
    def cancel(self, *, now):
        self._finish(now)

    @transition(
        field=state,
        source=[R.REJECTED, R.OFFERED, R.AWAITING_RETURN],
        target=R.CLOSED,
        permission=system_only,
        custom={
            "label": _("Closed automatically: the window passed"),
            "update_fields": ["deadline", "closed_at"],
        },
    )
    def auto_close(self, *, now):
        self._finish(now)

    @transition(
        field=state,
        source=R.AWAITING_RETURN,
        target=R.RETURN_SHIPPED,
        permission=is_refund_buyer,
        custom={
            "label": _("Return shipped"),
            "shows_note": True,
            "update_fields": ["return_courier", "return_tracking_number", "deadline"],
        },
    )
    def ship_return(self, *, courier, tracking_number, deadline):
        self.return_courier = courier
        self.return_tracking_number = tracking_number
        self.deadline = deadline

    @transition(
        field=state,
        source=R.RETURN_SHIPPED,
        target=R.REFUNDED,
        permission=is_refund_merchant,
        custom={
            "label": _("The shop confirmed the return"),
            "update_fields": ["deadline", "closed_at"],
        },
    )
    def confirm_return(self, *, now):
        self._finish(now)

    @transition(
        field=state,
        source=R.RETURN_SHIPPED,
        target=R.REFUNDED,
        permission=system_only,
        custom={
            "label": _("Return confirmed automatically"),
            "update_fields": ["deadline", "closed_at"],
        },
    )
    def auto_confirm_return(self, *, now):
        self._finish(now)

    @transition(
        field=state,
        source=R.IN_INTERVENTION,
        target=R.REFUNDED,
        permission=is_refund_merchant,
        custom={
            "label": _("The shop conceded the refund"),
            "update_fields": ["deadline", "closed_at"],
        },
    )
    def concede(self, *, now):
        self._finish(now)

    @transition(
        field=state,
        source=R.IN_INTERVENTION,
        target=RETURN_VALUE(R.REFUNDED, R.AWAITING_RETURN, R.CLOSED),
        permission=is_platform_agent,
        custom={
            "label": _("The platform ruled"),
            "update_fields": ["amount", "platform_ordered_return", "deadline", "closed_at"],
        },
    )
    def rule(self, *, now, amount, target, return_deadline=None):
        if target == R.AWAITING_RETURN:
            self.platform_ordered_return = True
            self.deadline = return_deadline
        else:
            self._finish(now)
        if amount is not None:
            self.amount = amount
        return target

    def _enter_approved(self, now, return_deadline) -> None:
        if self.kind == RefundKind.REFUND_ONLY:
            self._finish(now)
        else:
            self.deadline = return_deadline

    def _finish(self, now) -> None:
        self.deadline = None
        self.closed_at = now


class RefundPayment(models.Model):
    """The money going back to the buyer: exactly one per refunded request."""

    refund = models.OneToOneField(
        RefundRequest, on_delete=models.PROTECT, related_name="payment", verbose_name=_("refund")
    )
    order = models.ForeignKey(
        Order, on_delete=models.PROTECT, related_name="refund_payments", verbose_name=_("order")
    )
    amount = models.DecimalField(**MONEY, verbose_name=_("amount"))
    gateway_reference = models.CharField(max_length=100, verbose_name=_("gateway reference"))
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("refund payment")
        verbose_name_plural = _("refund payments")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="refund_payment_positive"
            ),
        ]

    def __str__(self) -> str:
        return gettext("¥%(amount)s to the buyer of %(order)s") % {
            "amount": self.amount,
            "order": self.order,
        }


class OfferOutcome(models.TextChoices):
    OPEN = "open", _("Waiting for the buyer")
    ACCEPTED = "accepted", _("Accepted by the buyer")
    DECLINED = "declined", _("Declined by the buyer")
    CANCELLED = "cancelled", _("The buyer cancelled the request")
    EXPIRED = "expired", _("Not answered in time")


class RefundOffer(models.Model):
    """A negotiation offer (协商方案) the shop made on a request: less than the amount asked,
    with or without the goods back. Every offer is kept; at most one is open, while the request
    is `offered`, and its outcome is written when the buyer (or the deadline) answers it."""

    refund = models.ForeignKey(
        RefundRequest, on_delete=models.PROTECT, related_name="offers", verbose_name=_("refund")
    )
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("made by"),
    )
    amount = models.DecimalField(**MONEY, verbose_name=_("amount offered"))
    # What the buyer asked when the offer was made (the request's amount changes on a revision).
    asked_amount = models.DecimalField(**MONEY, verbose_name=_("amount asked"))
    return_required = models.BooleanField(verbose_name=_("goods to be returned"))
    message = models.TextField(verbose_name=_("message"))
    outcome = models.CharField(
        max_length=10,
        choices=OfferOutcome.choices,
        default=OfferOutcome.OPEN,
        verbose_name=_("outcome"),
    )
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("made at"))
    answered_at = models.DateTimeField(null=True, blank=True, verbose_name=_("answered at"))

    class Meta:
        verbose_name = _("negotiation offer")
        verbose_name_plural = _("negotiation offers")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["refund", "created_at", "id"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0, amount__lt=models.F("asked_amount")),
                name="offer_below_asked",
            ),
            models.UniqueConstraint(
                fields=["refund"],
                condition=models.Q(outcome="open"),
                name="one_open_offer_per_refund",
            ),
        ]

    def __str__(self) -> str:
        return gettext("¥%(amount)s offered on after-sales request #%(refund)s") % {
            "amount": self.amount,
            "refund": self.refund_id,
        }


class InterventionState(models.TextChoices):
    AWAITING_EVIDENCE = "awaiting_evidence", _("Collecting evidence")
    UNDER_REVIEW = "under_review", _("Under review")
    RULED = "ruled", _("Ruled")
    APPEALED = "appealed", _("Under appeal")
    RESOLVED_BY_MERCHANT = "resolved_by_merchant", _("Resolved by the shop")


IS = InterventionState
OPEN_INTERVENTION_STATES = [IS.AWAITING_EVIDENCE, IS.UNDER_REVIEW]
# The deadline an open case is worked to: the ruling SLA once set, else the evidence window.
# The agents' queue sorts by it; the indexes below are on this very expression.
QUEUE_DEADLINE = Coalesce("ruling_deadline", "evidence_deadline")


def is_intervention_merchant(intervention: Intervention, user) -> bool:
    return is_staff_of(user, intervention.shop_id)


class Intervention(FSMModelMixin, models.Model):
    """The platform stepping into a rejected refund (申请平台介入)."""

    refund = models.OneToOneField(
        RefundRequest,
        on_delete=models.PROTECT,
        related_name="intervention",
        verbose_name=_("refund"),
    )
    shop = models.ForeignKey(
        Shop, on_delete=models.PROTECT, related_name="interventions", verbose_name=_("shop")
    )
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("buyer"),
    )
    state = FSMField(
        default=IS.AWAITING_EVIDENCE, choices=IS.choices, protected=True, verbose_name=_("state")
    )
    buyer_statement = models.TextField(verbose_name=_("buyer statement"))
    merchant_statement = models.TextField(blank=True, verbose_name=_("merchant statement"))
    buyer_submitted_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("buyer submitted at")
    )
    merchant_submitted_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("merchant submitted at")
    )
    evidence_deadline = models.DateTimeField(verbose_name=_("evidence deadline"))
    ruling_deadline = models.DateTimeField(null=True, blank=True, verbose_name=_("ruling deadline"))
    assigned_agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("assigned agent"),
    )
    agent_note = models.TextField(blank=True, verbose_name=_("agent note"))
    opened_at = models.DateTimeField(default=timezone.now, verbose_name=_("opened at"))
    closed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("closed at"))

    class Meta:
        verbose_name = _("platform intervention")
        verbose_name_plural = _("platform interventions")
        ordering = ["evidence_deadline", "id"]
        indexes = [
            models.Index(fields=["state", "evidence_deadline"]),
            models.Index(fields=["state", "ruling_deadline"]),
            models.Index(
                QUEUE_DEADLINE,
                models.F("id"),
                name="intervention_open_queue",
                condition=models.Q(state__in=OPEN_INTERVENTION_STATES),
            ),
            models.Index(QUEUE_DEADLINE, models.F("id"), name="intervention_queue"),
        ]

    def __str__(self) -> str:
        return gettext("Platform intervention #%(id)s on after-sales request #%(refund)s") % {
            "id": self.pk,
            "refund": self.refund_id,
        }

    def party_role_of(self, user) -> str | None:
        """The side `user` is on here (the audit trail's role): buyer, merchant or None."""
        return party_role(user, buyer_id=self.buyer_id, shop_id=self.shop_id)

    @property
    def deadline(self):
        if self.state == IS.AWAITING_EVIDENCE:
            return self.evidence_deadline
        if self.state == IS.UNDER_REVIEW:
            return self.ruling_deadline
        return None

    @transition(
        field=state,
        source=IS.AWAITING_EVIDENCE,
        target=IS.UNDER_REVIEW,
        permission=system_only,
        custom={"label": _("Evidence closed"), "update_fields": ["ruling_deadline"]},
    )
    def close_evidence(self, *, ruling_deadline):
        self.ruling_deadline = ruling_deadline

    @transition(
        field=state,
        source=IS.UNDER_REVIEW,
        target=IS.RULED,
        permission=is_platform_agent,
        custom={"label": _("The platform ruled"), "update_fields": ["closed_at", "assigned_agent"]},
    )
    def rule(self, *, now, agent):
        self.closed_at = now
        self.assigned_agent = self.assigned_agent or agent

    @transition(
        field=state,
        source=[IS.AWAITING_EVIDENCE, IS.UNDER_REVIEW],
        target=IS.RESOLVED_BY_MERCHANT,
        permission=is_intervention_merchant,
        custom={"label": _("Resolved by the shop"), "update_fields": ["closed_at"]},
    )
    def resolve_by_merchant(self, *, now):
        self.closed_at = now

    @transition(
        field=state,
        source=IS.RULED,
        target=IS.APPEALED,
        permission=is_intervention_merchant,
        custom={"label": _("The shop appealed"), "shows_note": True},
    )
    def appeal(self):
        pass

    @transition(
        field=state,
        source=IS.APPEALED,
        target=IS.RULED,
        permission=is_platform_supervisor,
        custom={"label": _("The appeal was decided")},
    )
    def decide_appeal(self):
        pass


def evidence_upload_to(evidence: Evidence, filename: str) -> str:
    """A generated name with the extension of the checked format: the client's name and
    extension never reach the disk or a URL (the file is served by the `evidence-file` view)."""
    return generated_name("evidence", evidence.content_type)


class Evidence(models.Model):
    """An image one party gave, for the refund request or for the intervention."""

    refund = models.ForeignKey(
        RefundRequest, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("refund")
    )
    intervention = models.ForeignKey(
        Intervention,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="evidence",
        verbose_name=_("intervention"),
    )
    appeal = models.ForeignKey(
        "Appeal",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="evidence",
        verbose_name=_("appeal"),
    )
    party = models.CharField(max_length=10, choices=Party.choices, verbose_name=_("party"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    image = models.ImageField(upload_to=evidence_upload_to, verbose_name=_("image"))
    content_type = models.CharField(max_length=20, verbose_name=_("content type"))
    size = models.PositiveIntegerField(verbose_name=_("size"))
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return gettext("Evidence #%(id)s from the %(party)s") % {
            "id": self.pk,
            "party": self.get_party_display(),
        }


def message_image_upload_to(image: MessageImage, filename: str) -> str:
    """Named as evidence is (`evidence_upload_to`): generated, with the checked format's
    extension (the file is served by the `message-image-file` view)."""
    return generated_name("messages", image.content_type)


class Message(models.Model):
    """A message (留言) one side wrote on a request: the buyer, the shop, or the platform once
    the request is escalated. Never edited: no service changes one, and the database refuses an
    UPDATE (migration 0012)."""

    refund = models.ForeignKey(
        RefundRequest, on_delete=models.CASCADE, related_name="messages", verbose_name=_("refund")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
    )
    party = models.CharField(max_length=10, choices=Party.choices, verbose_name=_("party"))
    text = models.TextField(blank=True, verbose_name=_("text"))
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))

    class Meta:
        verbose_name = pgettext_lazy("after-sales", "message")
        verbose_name_plural = pgettext_lazy("after-sales", "messages")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["refund", "created_at", "id"], name="message_by_refund")]

    def __str__(self) -> str:
        return gettext("Message #%(id)s from the %(party)s") % {
            "id": self.pk,
            "party": self.get_party_display(),
        }


class MessageImage(models.Model):
    """A photo on a message, checked and stored as evidence images are (core/images.py)."""

    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, related_name="images", verbose_name=_("message")
    )
    image = models.ImageField(upload_to=message_image_upload_to, verbose_name=_("image"))
    content_type = models.CharField(max_length=20, verbose_name=_("content type"))
    size = models.PositiveIntegerField(verbose_name=_("size"))

    class Meta:
        verbose_name = _("message image")
        verbose_name_plural = _("message images")
        ordering = ["id"]

    def __str__(self) -> str:
        return gettext("Image #%(id)s of message #%(message)s") % {
            "id": self.pk,
            "message": self.message_id,
        }


class RulingOutcome(models.TextChoices):
    BUYER_FULL_REFUND = "buyer_full_refund", _("Full refund to the buyer")
    BUYER_PARTIAL_REFUND = "buyer_partial_refund", _("Partial refund to the buyer")
    MERCHANT_WINS = "merchant_wins", _("The shop wins")


class Ruling(models.Model):
    """An agent's decision on an intervention: one per intervention."""

    intervention = models.OneToOneField(
        Intervention,
        on_delete=models.PROTECT,
        related_name="ruling",
        verbose_name=_("intervention"),
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("agent"),
    )
    outcome = models.CharField(
        max_length=24, choices=RulingOutcome.choices, verbose_name=_("outcome")
    )
    refund_amount = models.DecimalField(
        **MONEY, null=True, blank=True, verbose_name=_("refund amount")
    )
    return_required = models.BooleanField(default=False, verbose_name=_("return required"))
    merchant_responsible = models.BooleanField(verbose_name=_("merchant responsible"))
    merchant_cooperated = models.BooleanField(verbose_name=_("merchant cooperated"))
    penalty_points = models.PositiveSmallIntegerField(
        default=0, verbose_name=_("penalty points")
    )  # for the lost dispute
    rationale = models.TextField(verbose_name=_("rationale"))
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))
    appeal_deadline = models.DateTimeField(verbose_name=_("appeal deadline"))
    overturned_at = models.DateTimeField(null=True, blank=True, verbose_name=_("overturned at"))

    class Meta:
        verbose_name = _("ruling")
        verbose_name_plural = _("rulings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    outcome="merchant_wins",
                    refund_amount__isnull=True,
                    return_required=False,
                    merchant_responsible=False,
                )
                | (~models.Q(outcome="merchant_wins") & models.Q(refund_amount__gt=0)),
                name="ruling_outcome_consistent",
            ),
        ]

    def __str__(self) -> str:
        return gettext("Ruling on platform intervention #%(id)s: %(outcome)s") % {
            "id": self.intervention_id,
            "outcome": self.get_outcome_display(),
        }


class AppealDecision(models.TextChoices):
    UPHOLD = "uphold", _("Ruling upheld")
    OVERTURN = "overturn", _("Ruling overturned")


class Appeal(models.Model):
    """The merchant's one appeal against a ruling, decided by a supervisor."""

    ruling = models.OneToOneField(
        Ruling, on_delete=models.PROTECT, related_name="appeal", verbose_name=_("ruling")
    )
    appellant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("appellant"),
    )
    statement = models.TextField(verbose_name=_("statement"))
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))
    decision = models.CharField(
        max_length=10, choices=AppealDecision.choices, blank=True, verbose_name=_("decision")
    )
    decision_note = models.TextField(blank=True, verbose_name=_("decision note"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(null=True, blank=True, verbose_name=_("decided at"))

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")

    def __str__(self) -> str:
        return gettext("Appeal of ruling #%(id)s") % {"id": self.ruling_id}


class PlatformReimbursement(models.Model):
    """The platform pays the merchant back when an appeal overturns a ruling; the buyer keeps
    the refund."""

    ruling = models.OneToOneField(
        Ruling, on_delete=models.PROTECT, related_name="reimbursement", verbose_name=_("ruling")
    )
    shop = models.ForeignKey(
        Shop, on_delete=models.PROTECT, related_name="reimbursements", verbose_name=_("shop")
    )
    amount = models.DecimalField(**MONEY, verbose_name=_("amount"))
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("platform reimbursement")
        verbose_name_plural = _("platform reimbursements")
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="reimbursement_positive"),
        ]

    def __str__(self) -> str:
        return gettext("¥%(amount)s to %(shop)s") % {"amount": self.amount, "shop": self.shop}
