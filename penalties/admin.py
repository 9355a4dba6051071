from django.contrib import admin

from penalties.models import PenaltyRecord, Restriction


@admin.register(PenaltyRecord)
class PenaltyRecordAdmin(admin.ModelAdmin):
    list_display = ["shop", "kind", "points", "period", "ruling", "created_at", "reversed_at"]
    list_filter = ["kind", "period"]
    list_select_related = ["shop"]
    search_fields = ["shop__name"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(Restriction)
class RestrictionAdmin(admin.ModelAdmin):
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

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False
