"""Finding 8 (refund_add_evidence): evidence added through the refund locks the intervention
before it closes the window, so a sweep closing it at the same moment closes it once."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

from django.db import connection, transaction

from core.errors import TransitionNotAllowed
from core.models import AuditEntry
from disputes import services as ds
from disputes.models import Evidence, Intervention, InterventionState
from tests.concurrency.race import postgres_only
from tests.security.images import image_bytes, upload

pytestmark = postgres_only


def test_evidence_added_while_the_sweep_closes_the_window_closes_it_once(wf, merchant):
    case = wf.intervention("awaiting_evidence")
    refund = case.refund
    swept, release = threading.Event(), threading.Event()
    errors: dict[str, BaseException] = {}

    def sweep():
        try:
            with transaction.atomic():
                locked = Intervention.objects.select_for_update().get(pk=case.pk)
                ds.intervention_close_evidence(intervention=locked, now=case.evidence_deadline)
                swept.set()
                release.wait(10)  # hold the lock while the merchant's upload arrives
        except BaseException as exc:
            errors["sweep"] = exc
        finally:
            connection.close()

    def add():
        try:
            swept.wait(10)
            ds.refund_add_evidence(
                refund=refund,
                actor=merchant,
                images=[upload(image_bytes(), "late.png")],
                now=case.evidence_deadline - timedelta(minutes=1),
            )
        except BaseException as exc:
            errors["add"] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep), threading.Thread(target=add)]
    for thread in threads:
        thread.start()
    time.sleep(0.5)
    release.set()
    for thread in threads:
        thread.join(30)

    assert "sweep" not in errors
    assert isinstance(errors.get("add"), TransitionNotAllowed)
    case.refresh_from_db()
    assert case.state == InterventionState.UNDER_REVIEW
    assert case.merchant_submitted_at is None
    assert not Evidence.objects.filter(refund=refund, party="merchant").exists()
    closes = AuditEntry.objects.filter(
        target_type__model="intervention", target_id=case.pk, action="close_evidence"
    )
    assert closes.count() == 1
