"""The agents' console: the intervention queue, the case page with its ruling form, and the
supervisors' appeals. Every write goes through disputes.services; the rows are read-only."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import Q
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin import CappedCountPaginator, ReadOnlyAdmin
from core.errors import DomainError
from core.roles import is_agent
from disputes import services
from disputes.models import (
    OPEN_INTERVENTION_STATES,
    QUEUE_DEADLINE,
    Appeal,
    Evidence,
    Intervention,
    InterventionState,
    PlatformReimbursement,
    RefundPayment,
    RefundRequest,
    Ruling,
)


@admin.register(RefundRequest)
class RefundRequestAdmin(ReadOnlyAdmin):
    list_display = ["id", "order", "kind", "reason", "amount", "state", "deadline", "created_at"]
    list_filter = ["state", "kind", "reason"]
    list_select_related = ["order"]
    search_fields = ["=order__number"]
    paginator = CappedCountPaginator
    show_full_result_count = False


class QueueStateFilter(admin.SimpleListFilter):
    """Open cases unless the agent asks for another state (or all)."""

    title = _("state")
    parameter_name = "queue"
    OPEN, ALL = "open", "all"

    def lookups(self, request, model_admin):
        return [
            (self.OPEN, _("Open (awaiting evidence or under review)")),
            *InterventionState.choices,
            (self.ALL, _("All")),
        ]

    def value(self):
        return super().value() or self.OPEN

    def choices(self, changelist):
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == str(lookup),
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        value = self.value()
        if value == self.OPEN:
            return queryset.filter(state__in=OPEN_INTERVENTION_STATES)
        if value in InterventionState.values:
            return queryset.filter(state=value)
        return queryset


class OverdueFilter(admin.SimpleListFilter):
    title = _("deadline")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("Overdue"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(
                state__in=OPEN_INTERVENTION_STATES, queue_deadline__lt=timezone.now()
            )
        return queryset


class AssignedFilter(admin.SimpleListFilter):
    title = _("assigned agent")
    parameter_name = "assigned"

    def lookups(self, request, model_admin):
        return [("me", _("Assigned to me")), ("nobody", _("Unassigned"))]

    def queryset(self, request, queryset):
        if self.value() == "me":
            return queryset.filter(assigned_agent=request.user)
        if self.value() == "nobody":
            return queryset.filter(assigned_agent__isnull=True)
        return queryset


@admin.register(Intervention)
class InterventionAdmin(ReadOnlyAdmin):
    """The intervention queue, sorted by the deadline each open case is worked to."""

    list_display = [
        "case_number",
        "order_number",
        "shop",
        "amount",
        "state",
        "deadline_display",
        "assigned_agent",
    ]
    list_display_links = ["case_number"]
    list_filter = [QueueStateFilter, OverdueFilter, AssignedFilter]
    list_select_related = ["refund__order", "shop", "assigned_agent"]
    search_fields = ["=refund__order__number"]
    search_help_text = _("An order number, or a case number such as 42 or #42.")
    ordering = [QUEUE_DEADLINE.asc(), "pk"]
    actions = ["assign_to_me"]
    paginator = CappedCountPaginator
    show_full_result_count = False

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(queue_deadline=QUEUE_DEADLINE)

    def get_search_results(self, request, queryset, search_term):
        case = search_term.strip().removeprefix("#")
        if case.isdigit() and len(case) <= 12:
            found = queryset.filter(Q(pk=int(case)) | Q(refund__order__number=search_term.strip()))
            return found, False
        return super().get_search_results(request, queryset, search_term)

    @admin.display(description=_("case"), ordering="pk")
    def case_number(self, obj):
        return f"#{obj.pk}"

    @admin.display(description=_("order"), ordering="refund__order__number")
    def order_number(self, obj):
        return obj.refund.order.number

    @admin.display(description=_("amount"))
    def amount(self, obj):
        return f"¥{obj.refund.amount}"

    @admin.display(description=_("deadline"), ordering="queue_deadline")
    def deadline_display(self, obj):
        deadline = obj.deadline
        if deadline is None:
            return "—"
        shown = f"{timezone.localtime(deadline):%Y-%m-%d %H:%M}"
        if deadline < timezone.now():
            return format_html('<strong class="overdue">{} · {}</strong>', shown, _("overdue"))
        return shown

    def has_assign_permission(self, request):
        return is_agent(request.user)

    @admin.action(description=_("Assign to me"), permissions=["assign"])
    def assign_to_me(self, request, queryset):
        assigned = 0
        for intervention in queryset:
            try:
                services.intervention_assign(
                    intervention=intervention, actor=request.user, agent=request.user
                )
            except DomainError as exc:
                self.message_user(request, f"#{intervention.pk}: {exc.message}", messages.ERROR)
            else:
                assigned += 1
        if assigned:
            self.message_user(
                request,
                ngettext(
                    "%(count)d case assigned to you.", "%(count)d cases assigned to you.", assigned
                )
                % {"count": assigned},
                messages.SUCCESS,
            )


@admin.register(Ruling)
class RulingAdmin(ReadOnlyAdmin):
    list_display = [
        "id",
        "intervention",
        "outcome",
        "refund_amount",
        "merchant_responsible",
        "penalty_points",
        "overturned_at",
    ]
    list_filter = ["outcome", "merchant_responsible"]


@admin.register(Appeal)
class AppealAdmin(ReadOnlyAdmin):
    list_display = ["id", "ruling", "appellant", "decision", "created_at", "decided_at"]
    list_filter = ["decision"]


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyAdmin):
    list_display = ["id", "refund", "intervention", "party", "content_type", "size", "created_at"]
    list_filter = ["party"]


@admin.register(RefundPayment)
class RefundPaymentAdmin(ReadOnlyAdmin):
    list_display = ["id", "refund", "order", "amount", "gateway_reference", "created_at"]


@admin.register(PlatformReimbursement)
class PlatformReimbursementAdmin(ReadOnlyAdmin):
    list_display = ["id", "ruling", "shop", "amount", "created_at"]
