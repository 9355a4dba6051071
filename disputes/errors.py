"""The refusals of after-sales requests, their evidence, interventions, rulings and appeals."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.errors import ErrorCode, InvalidInput, PermissionDenied, TransitionNotAllowed


class DisputeErrorCode(ErrorCode):
    # Who may act (403).
    NOT_THE_BUYER = (
        "not_the_buyer",
        PermissionDenied,
        _("Only the buyer of an order can ask for its refund."),
    )
    NOT_A_PARTY = (
        "not_a_party",
        PermissionDenied,
        _("Only the buyer and the shop may add evidence to this request."),
    )
    NOT_IN_CONVERSATION = (
        "not_in_conversation",
        PermissionDenied,
        _(
            "Only the buyer and the shop write messages on this request, and the platform "
            "once it has stepped in."
        ),
    )
    AGENTS_ONLY = "agents_only", PermissionDenied, _("Only platform agents take interventions.")
    CONFLICT_OF_INTEREST_BUYER = (
        "conflict_of_interest_buyer",
        PermissionDenied,
        _("You are the buyer in this case: another agent must decide it."),
    )
    CONFLICT_OF_INTEREST_SHOP = (
        "conflict_of_interest_shop",
        PermissionDenied,
        _("You work for the shop in this case: another agent must decide it."),
    )
    CONFLICT_OF_INTEREST_OWN_RULING = (
        "conflict_of_interest_own_ruling",
        PermissionDenied,
        _("You made the ruling under appeal: another supervisor must decide the appeal."),
    )

    # What the state, a window or a guard allows (409).
    AFTER_SALES_WINDOW_CLOSED = (
        "after_sales_window_closed",
        TransitionNotAllowed,
        _(
            "The after-sales window for this order closed at %(at)s: a request could be made "
            "up to %(days)s days after receipt was confirmed."
        ),
    )
    ORDER_NOT_REFUNDABLE = (
        "order_not_refundable",
        TransitionNotAllowed,
        _("An order in the state “%(state)s” cannot be refunded."),
    )
    OPEN_REQUEST_EXISTS = (
        "open_request_exists",
        TransitionNotAllowed,
        _("This order already has an open after-sales request."),
    )
    REVISE_WINDOW_CLOSED = (
        "revise_window_closed",
        TransitionNotAllowed,
        _("The time to edit this request ended at %(at)s."),
    )
    ESCALATE_WINDOW_CLOSED = (
        "escalate_window_closed",
        TransitionNotAllowed,
        _("The time to apply for platform intervention ended at %(at)s."),
    )
    NOT_A_RETURN_REQUEST = (
        "not_a_return_request",
        TransitionNotAllowed,
        _("Only a return-and-refund request can be refunded without the return."),
    )
    RETURN_ORDERED_BY_PLATFORM = (
        "return_ordered_by_platform",
        TransitionNotAllowed,
        _("The platform ordered this return, so the shop cannot reject it."),
    )
    NO_RETURN_ADDRESS = (
        "no_return_address",
        TransitionNotAllowed,
        _(
            "“%(shop)s” has no return address, so the goods cannot be sent back: the shop adds "
            "one in the seller center (Return addresses) before a return is approved."
        ),
    )
    NOTHING_TO_OFFER = (
        "nothing_to_offer",
        TransitionNotAllowed,
        _("Nothing less than the ¥%(asked)s asked can be offered: approve or reject the request."),
    )
    NO_REVISIONS_LEFT = (
        "no_revisions_left",
        TransitionNotAllowed,
        _("The buyer has used every revision allowed for this request."),
    )
    ESCALATED_BEFORE = (
        "escalated_before",
        TransitionNotAllowed,
        _("A refund request can be escalated to the platform only once."),
    )
    OFFER_WINDOW_CLOSED = (
        "offer_window_closed",
        TransitionNotAllowed,
        _("The time to answer this offer ended at %(at)s."),
    )
    REQUEST_FINISHED = (
        "request_finished",
        TransitionNotAllowed,
        _("This request is finished: no more evidence can be added."),
    )
    MESSAGES_CLOSED = (
        "messages_closed",
        TransitionNotAllowed,
        _("This request is finished: no more messages can be written."),
    )
    EVIDENCE_WINDOW_CLOSED = (
        "evidence_window_closed",
        TransitionNotAllowed,
        _("The evidence window of this intervention has closed."),
    )
    ALREADY_RULED = "already_ruled", TransitionNotAllowed, _("This case has been ruled already.")
    NOTHING_TO_APPEAL = (
        "nothing_to_appeal",
        TransitionNotAllowed,
        _("The shop won this ruling: there is nothing to appeal."),
    )
    ALREADY_APPEALED = (
        "already_appealed",
        TransitionNotAllowed,
        _("A ruling can be appealed only once."),
    )
    APPEAL_WINDOW_CLOSED = (
        "appeal_window_closed",
        TransitionNotAllowed,
        _("The appeal window closed at %(at)s."),
    )

    # What was typed (400).
    KIND_CHOICE = "kind_choice", InvalidInput, _("Choose refund only or return and refund.")
    REASON_CHOICE = "reason_choice", InvalidInput, _("Choose a reason from the list.")
    NOT_SHIPPED_REFUND_ONLY = (
        "not_shipped_refund_only",
        InvalidInput,
        _("Nothing has been shipped yet: ask for a refund only."),
    )
    AMOUNT_REQUIRED = "amount_required", InvalidInput, _("Enter the amount to refund.")
    AMOUNT_NOT_POSITIVE = (
        "amount_not_positive",
        InvalidInput,
        _("The amount must be more than ¥0."),
    )
    AMOUNT_ABOVE_REFUNDABLE = (
        "amount_above_refundable",
        InvalidInput,
        _("The amount may be at most ¥%(refundable)s (paid less already refunded)."),
    )
    PARTIAL_NOT_LESS = (
        "partial_not_less",
        InvalidInput,
        _("A partial refund is less than the ¥%(asked)s asked."),
    )
    OFFER_NOT_LESS = (
        "offer_not_less",
        InvalidInput,
        _("An offer is less than the ¥%(asked)s asked: to give it all, approve the request."),
    )
    OFFER_RETURN_NOT_SHIPPED = (
        "offer_return_not_shipped",
        InvalidInput,
        _("Nothing has been shipped yet: an offer cannot ask for the goods back."),
    )
    RETURN_TRACKING_REQUIRED = (
        "return_tracking_required",
        InvalidInput,
        _("Enter the return parcel's tracking number."),
    )
    COURIER_CHOICE = (
        "courier_choice",
        InvalidInput,
        _("Choose the courier the parcel is sent with."),
    )
    RETURN_TRACKING_TOO_LONG = (
        "return_tracking_too_long",
        InvalidInput,
        _("A tracking number has at most %(limit)s characters."),
    )
    EVIDENCE_LIMIT = (
        "evidence_limit",
        InvalidInput,
        _("Each party may give at most %(limit)s images (%(given)s given already)."),
    )
    MESSAGE_IMAGE_LIMIT = (
        "message_image_limit",
        InvalidInput,
        _("A message carries at most %(limit)s photos."),
    )
    MESSAGE_EMPTY = "message_empty", InvalidInput, _("Write a message or attach a photo.")
    IMAGE_REQUIRED = "image_required", InvalidInput, _("Attach at least one image.")
    STATEMENT_OR_IMAGE = (
        "statement_or_image",
        InvalidInput,
        _("Give a statement or at least one image."),
    )
    OUTCOME_CHOICE = "outcome_choice", InvalidInput, _("Choose an outcome from the list.")
    WINNER_NOT_RESPONSIBLE = (
        "winner_not_responsible",
        InvalidInput,
        _("A shop that wins cannot be held responsible."),
    )
    WINNER_RETURNS_NOTHING = (
        "winner_returns_nothing",
        InvalidInput,
        _("Nothing is returned when the shop wins."),
    )
    PENALTY_POINTS_RANGE = (
        "penalty_points_range",
        InvalidInput,
        _("Penalty points must be between %(min)s and %(max)s."),
    )
    PENALTY_POINTS_NOT_RESPONSIBLE = (
        "penalty_points_not_responsible",
        InvalidInput,
        _("Penalty points apply only when the shop is responsible."),
    )
    DECISION_CHOICE = "decision_choice", InvalidInput, _("Decide uphold or overturn.")
