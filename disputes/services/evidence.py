"""Evidence images of the parties, on a request or on its intervention."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError
from core.images import checked_image, deletes_its_files_on_failure, remember_written
from core.rules import get_rules
from disputes.errors import DisputeErrorCode
from disputes.models import (
    Appeal,
    Evidence,
    Intervention,
    Party,
    RefundRequest,
    RefundState,
)
from disputes.policies import may_add_evidence, may_give_case_evidence, party_of
from disputes.services.automatic import intervention_close_evidence
from disputes.services.common import clean_text, lock_case, lock_refund, resolve_now


def store_evidence(
    *,
    refund: RefundRequest,
    party: str,
    actor,
    images: Sequence,
    now: datetime,
    intervention: Intervention | None = None,
    appeal: Appeal | None = None,
) -> list[Evidence]:
    if not images:
        return []
    rules = get_rules()
    existing = Evidence.objects.filter(
        refund=refund, intervention=intervention, party=party
    ).count()
    if existing + len(images) > rules.max_evidence_per_party:
        raise DomainError(
            DisputeErrorCode.EVIDENCE_LIMIT,
            {"limit": rules.max_evidence_per_party, "given": existing},
            field="image",
        )
    stored = []
    for upload in images:
        image, content_type = checked_image(upload)
        evidence = Evidence.objects.create(
            refund=refund,
            intervention=intervention,
            appeal=appeal,
            party=party,
            uploaded_by=actor,
            image=image,
            content_type=content_type,
            size=image.size,
            created_at=now,
        )
        remember_written(evidence.image)
        stored.append(evidence)
    return stored


def record_case_evidence(
    *,
    refund: RefundRequest,
    intervention: Intervention,
    party: str,
    actor,
    statement: str,
    images: Sequence,
    now: datetime,
) -> list[Evidence]:
    """Store a party's images and statement on the case, and when it gave them. The caller
    holds the locks and has enforced `may_give_case_evidence`."""
    stored = store_evidence(
        refund=refund, intervention=intervention, party=party, actor=actor, images=images, now=now
    )
    fields = []
    if party == Party.MERCHANT:
        if statement:
            intervention.merchant_statement = statement
            fields.append("merchant_statement")
        if intervention.merchant_submitted_at is None:
            intervention.merchant_submitted_at = now
            fields.append("merchant_submitted_at")
    elif statement:
        intervention.buyer_statement = statement
        fields.append("buyer_statement")
    if fields:
        intervention.save(update_fields=fields)
    return stored


@deletes_its_files_on_failure
def intervention_submit_evidence(
    *,
    intervention: Intervention,
    actor,
    statement: str = "",
    images: Sequence = (),
    now: datetime | None = None,
) -> list[Evidence]:
    """A party gives its statement and images. Once both have, the case goes to review."""
    now = resolve_now(now)
    statement = clean_text(statement, field="statement", required=False, label=_("The statement"))
    if not statement and not images:
        raise DomainError(DisputeErrorCode.STATEMENT_OR_IMAGE, field="statement")
    with transaction.atomic():
        _order, refund, intervention = lock_case(intervention.pk)
        may_give_case_evidence(intervention, actor, now=now).enforce()
        stored = record_case_evidence(
            refund=refund,
            intervention=intervention,
            party=party_of(refund, actor),
            actor=actor,
            statement=statement,
            images=images,
            now=now,
        )
        if intervention.buyer_submitted_at and intervention.merchant_submitted_at:
            intervention_close_evidence(intervention=intervention, now=now)
    return stored


@deletes_its_files_on_failure
def refund_add_evidence(
    *, refund: RefundRequest, actor, images: Sequence, now: datetime | None = None
) -> list[Evidence]:
    """Either party adds images to an open request (to the intervention once escalated; the
    merchant's first images there count as its submission, which may send the case to review)."""
    now = resolve_now(now)
    if not images:
        raise DomainError(DisputeErrorCode.IMAGE_REQUIRED, field="image")
    with transaction.atomic():
        _order, refund = lock_refund(refund.pk)
        intervention = Intervention.objects.select_for_update().filter(refund=refund).first()
        if intervention is not None:
            refund.intervention = intervention  # the policy reads the locked row
        may_add_evidence(refund, actor, now=now).enforce()
        party = party_of(refund, actor)
        if refund.state != RefundState.IN_INTERVENTION:
            return store_evidence(refund=refund, party=party, actor=actor, images=images, now=now)
        stored = record_case_evidence(
            refund=refund,
            intervention=intervention,
            party=party,
            actor=actor,
            statement="",
            images=images,
            now=now,
        )
        if intervention.buyer_submitted_at and intervention.merchant_submitted_at:
            intervention_close_evidence(intervention=intervention, now=now)
    return stored
