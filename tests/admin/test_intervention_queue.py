"""The agents' intervention queue: what a row shows, the filters, search, order by deadline,
"assign to me", and a constant number of queries however many cases there are."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.models import AuditEntry
from disputes.models import Intervention, InterventionState
from tests import factories
from tests.admin.conftest import admin_path

QUEUE = admin_path("disputes/intervention/")


def _listed(response) -> list[int]:
    return [obj.pk for obj in response.context["cl"].result_list]


@pytest.fixture
def cases(wf):
    """Two open cases whose deadlines have passed (the workflow starts at t0, in the past) and
    a ruled one."""
    awaiting = wf.intervention("awaiting_evidence")
    wf.later(hours=1)
    review = wf.intervention("under_review")
    wf.later(hours=1)
    ruled = wf.intervention("ruled")
    return awaiting, review, ruled


def test_the_queue_shows_open_cases_sorted_by_their_deadline(client_for, agent, cases):
    awaiting, review, _ruled = cases

    response = client_for(agent).get(QUEUE)

    assert response.status_code == 200
    # the evidence window (t0 + 48 h) ends before the review's ruling SLA (t0 + 1 h + 48 h)
    assert _listed(response) == [awaiting.pk, review.pk]
    page = response.content.decode()
    assert f"#{review.pk}" in page
    assert review.refund.order.number in page
    assert "天 Flagship" in page
    assert f"¥{review.refund.amount}" in page
    assert 'class="overdue"' in page  # t0 is in 2026-06, long past


def test_the_state_filter_shows_ruled_and_all_cases(client_for, agent, cases):
    ruled = cases[-1]
    client = client_for(agent)

    assert _listed(client.get(QUEUE, {"queue": "ruled"})) == [ruled.pk]
    assert set(_listed(client.get(QUEUE, {"queue": "all"}))) == {c.pk for c in cases}


def test_overdue_shows_only_open_cases_past_their_deadline(client_for, agent, wf):
    late = wf.intervention("awaiting_evidence")
    wf.now = timezone.now()
    in_time = wf.intervention("awaiting_evidence")
    wf.intervention("ruled")

    listed = _listed(client_for(agent).get(QUEUE, {"overdue": "yes"}))

    assert late.pk in listed
    assert in_time.pk not in listed
    assert len(listed) == 1


def test_assigned_to_me_and_unassigned(client_for, agent, wf):
    mine = wf.intervention("under_review")
    theirs = wf.intervention("under_review")
    nobodys = wf.intervention("under_review")
    other = factories.make_agent(username="agent2")
    Intervention.objects.filter(pk=mine.pk).update(assigned_agent=agent)
    Intervention.objects.filter(pk=theirs.pk).update(assigned_agent=other)
    client = client_for(agent)

    assert _listed(client.get(QUEUE, {"assigned": "me"})) == [mine.pk]
    assert _listed(client.get(QUEUE, {"assigned": "nobody"})) == [nobodys.pk]


def test_search_by_order_number_or_case_number(client_for, agent, cases):
    awaiting, review, _ = cases
    client = client_for(agent)

    assert _listed(client.get(QUEUE, {"q": review.refund.order.number})) == [review.pk]
    assert _listed(client.get(QUEUE, {"q": f"#{awaiting.pk}"})) == [awaiting.pk]
    assert _listed(client.get(QUEUE, {"q": str(awaiting.pk)})) == [awaiting.pk]


def test_assign_to_me_calls_the_assign_service(client_for, agent, cases):
    awaiting, review, _ = cases

    response = client_for(agent).post(
        QUEUE, {"action": "assign_to_me", "_selected_action": [awaiting.pk, review.pk]}, follow=True
    )

    assert response.status_code == 200
    for case in (awaiting, review):
        case.refresh_from_db()
        assert case.assigned_agent == agent
    assert AuditEntry.objects.filter(action="assign", actor=agent).count() == 2
    assert "2" in " ".join(str(m) for m in response.context["messages"])


def _queue_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(QUEUE, {"queue": "all"}).status_code == 200
    return len(queries)


def test_the_queue_makes_as_many_queries_for_200_cases_as_for_10(client_for, agent, wf):
    client = client_for(agent)
    other = factories.make_agent(username="agent2")
    for i in range(10):
        case = wf.intervention("awaiting_evidence")
        Intervention.objects.filter(pk=case.pk).update(assigned_agent=(agent, other)[i % 2])
    with_10 = _queue_queries(client)

    for _ in range(190):
        wf.later(minutes=1)
        wf.intervention("awaiting_evidence")
    with_200 = _queue_queries(client)

    assert Intervention.objects.count() == 200
    assert with_200 == with_10


def test_the_overdue_mark_is_only_on_cases_past_their_deadline(client_for, agent, wf):
    wf.now = timezone.now() - timedelta(hours=1)
    case = wf.intervention("awaiting_evidence")
    assert case.state == InterventionState.AWAITING_EVIDENCE

    page = client_for(agent).get(QUEUE).content.decode()

    assert 'class="overdue"' not in page
