from django.contrib import admin

from core.models import (
    AuditEntry,
    DeadlineReminder,
    EmailDelivery,
    IdempotencyKey,
    Notification,
    OutboxMessage,
    UserPreference,
)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "target_type",
        "target_id",
        "action",
        "from_state",
        "to_state",
        "actor",
        "actor_role",
    ]
    list_filter = ["actor_role", "target_type", "action"]
    search_fields = ["note", "target_id"]
    list_select_related = ["target_type", "actor"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "kind", "message", "read_at", "emailed_at"]
    list_filter = ["kind"]
    list_select_related = ["recipient"]
    raw_id_fields = ["recipient"]


@admin.register(IdempotencyKey)
class IdempotencyKeyAdmin(admin.ModelAdmin):
    list_display = ["created_at", "user", "key", "response_status"]
    list_select_related = ["user"]
    search_fields = ["key", "user__username"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows the jobs write; staff look, nobody edits."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "task", "kwargs", "attempts", "available_at", "relayed_at"]
    list_filter = ["task", ("relayed_at", admin.EmptyFieldListFilter)]


@admin.register(EmailDelivery)
class EmailDeliveryAdmin(ReadOnlyAdmin):
    list_display = ["sent_at", "address", "language", "subject"]
    search_fields = ["address", "key"]


@admin.register(DeadlineReminder)
class DeadlineReminderAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "target_type", "target_id", "deadline"]
    list_select_related = ["target_type"]


@admin.register(UserPreference)
class UserPreferenceAdmin(ReadOnlyAdmin):
    list_display = ["user", "language"]
    list_select_related = ["user"]
