from django.contrib import admin

from core.admin import ReadOnlyAdmin
from penalties.models import PenaltyRecord, Restriction


@admin.register(PenaltyRecord)
class PenaltyRecordAdmin(ReadOnlyAdmin):
    list_display = ["shop", "kind", "points", "period", "ruling", "created_at", "reversed_at"]
    list_filter = ["kind", "period"]
    list_select_related = ["shop"]
    search_fields = ["shop__name"]


@admin.register(Restriction)
class RestrictionAdmin(ReadOnlyAdmin):
    list_display = [
        "shop",
        "period",
        "level",
        "points_at_start",
        "starts_at",
        "ends_at",
        "ended_at",
    ]
    list_filter = ["period", "level"]
    list_select_related = ["shop"]
