from django.contrib import admin

from disputes.models import (
    Appeal,
    Evidence,
    Intervention,
    PlatformReimbursement,
    RefundPayment,
    RefundRequest,
    Ruling,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Disputes change only through the services (locks, audit trail, penalties)."""

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RefundRequest)
class RefundRequestAdmin(ReadOnlyAdmin):
    list_display = ["id", "order", "kind", "reason", "amount", "state", "deadline", "created_at"]
    list_filter = ["state", "kind", "reason"]
    list_select_related = ["order"]
    search_fields = ["order__number"]


@admin.register(Intervention)
class InterventionAdmin(ReadOnlyAdmin):
    list_display = [
        "id",
        "refund",
        "shop",
        "state",
        "evidence_deadline",
        "ruling_deadline",
        "assigned_agent",
    ]
    list_filter = ["state"]
    list_select_related = ["refund", "shop", "assigned_agent"]
    search_fields = ["refund__order__number"]


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
