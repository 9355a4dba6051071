"""The admin is a window on the platform, not a way around it: every model is shown read-only,
and the only writes are the service-backed actions and forms each app's admin adds."""

from __future__ import annotations

import re

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.errors import CoreErrorCode, DomainError, InvalidInput
from core.models import (
    AuditEntry,
    DeadlineReminder,
    EmailDelivery,
    IdempotencyKey,
    Notification,
    OutboxMessage,
    UserPreference,
    VerifiedEmail,
)
from core.services import email_in_use


def _all_fields(model) -> list[str]:
    return [f.name for f in model._meta.fields] + [f.name for f in model._meta.many_to_many]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Nobody adds, edits or deletes a row here: states, points and money move only through
    the services (locks, audit trail, notifications)."""

    def get_readonly_fields(self, request, obj=None):
        return _all_fields(self.model)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def action_checkbox(self, obj):
        """The row's checkbox, as Django writes it, without rendering a widget template for
        each row (a quarter of a 25-row queue's time)."""
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            obj.pk,
            format_html(gettext("Select this object for an action - {}"), str(obj)),
        )


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return _all_fields(self.model)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def object_pk_or_404(object_id: str) -> int:
    """The row id an admin URL names, or 404: the admin's own patterns take any path
    (`<path:object_id>`), so "abc" or "1/2" reach the views that the apps add too."""
    object_id = unquote(object_id)
    if not re.fullmatch(r"[0-9]{1,18}", object_id):
        raise Http404("No such object.")
    return int(object_id)


def show_refusal(request, form, error: DomainError) -> bool:
    """Show a service's refusal where the user looks for it. Bad input goes on its field (or
    the form) and the form is shown again (True); a refusal of the action itself, because of
    the state or the user's role, becomes a message on the page the user returns to (False)."""
    if isinstance(error, InvalidInput):
        field = error.field
        form.add_error(field if field in form.fields else None, error.message)
        return True
    messages.error(request, error.message)
    return False


class CappedCountPaginator(Paginator):
    """Counts at most CAP rows, so that a list over a large table never scans all of it to
    number its pages; beyond the cap the last page is reached by narrowing the filters."""

    CAP = 10_000

    @cached_property
    def count(self) -> int:
        return self.object_list[: self.CAP].count()


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at",
        "target_type",
        "target_id",
        "action",
        "from_state_words",
        "to_state_words",
        "actor",
        "actor_role",
    ]
    list_filter = ["actor_role", "target_type", "action"]
    search_fields = ["note", "=target_id"]
    list_select_related = ["target_type", "actor"]
    paginator = CappedCountPaginator
    show_full_result_count = False
    # The states are stored as codes of the target's machine, shown in its words; the note is
    # shown as it reads in the reader's language (its parameters are part of it).
    exclude = ["from_state", "to_state", "note", "note_params"]
    IN_WORDS = {
        "from_state": "from_state_words",
        "to_state": "to_state_words",
        "note": "note_words",
    }

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return [self.IN_WORDS.get(name, name) for name in fields if name != "note_params"]

    @admin.display(description=AuditEntry._meta.get_field("from_state").verbose_name)
    def from_state_words(self, obj: AuditEntry):
        return obj.state_words(obj.from_state)

    @admin.display(description=AuditEntry._meta.get_field("to_state").verbose_name)
    def to_state_words(self, obj: AuditEntry):
        return obj.state_words(obj.to_state)

    @admin.display(description=AuditEntry._meta.get_field("note").verbose_name)
    def note_words(self, obj: AuditEntry):
        return obj.note_text


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "recipient", "kind", "text", "read_at", "emailed_at"]
    list_filter = ["kind"]
    list_select_related = ["recipient"]
    paginator = CappedCountPaginator
    show_full_result_count = False

    @admin.display(description=_("text"))
    def text(self, obj: Notification) -> str:
        # The stored message is a msgid with placeholders: show it in words, as pages do.
        return obj.text


@admin.register(IdempotencyKey)
class IdempotencyKeyAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "user", "key", "response_status"]
    list_select_related = ["user"]
    search_fields = ["=key", "user__username"]
    paginator = CappedCountPaginator
    show_full_result_count = False


OUTBOX_STATES = {
    "waiting": (_("waiting"), Q(done_at__isnull=True, failed_at__isnull=True)),
    "done": (_("done"), Q(done_at__isnull=False)),
    "failed": (_("failed"), Q(failed_at__isnull=False)),
}


class OutboxStateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [(key, words) for key, (words, _condition) in OUTBOX_STATES.items()]

    def queryset(self, request, queryset):
        if self.value() in OUTBOX_STATES:
            return queryset.filter(OUTBOX_STATES[self.value()][1])
        return queryset


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin):
    """Staff find here the work that failed for good (an e-mail no mail server took), with
    its reason: nothing the outbox gives up on disappears."""

    list_display = [
        "created_at",
        "task",
        "kwargs",
        "state",
        "attempts",
        "available_at",
        "last_error",
    ]
    list_filter = [OutboxStateFilter, "task"]
    paginator = CappedCountPaginator
    show_full_result_count = False

    @admin.display(description=_("state"))
    def state(self, obj: OutboxMessage) -> str:
        if obj.failed_at:
            return OUTBOX_STATES["failed"][0]
        return OUTBOX_STATES["done" if obj.done_at else "waiting"][0]


@admin.register(EmailDelivery)
class EmailDeliveryAdmin(ReadOnlyAdmin):
    list_display = ["sent_at", "address", "language", "subject"]
    search_fields = ["address", "key"]
    paginator = CappedCountPaginator
    show_full_result_count = False


@admin.register(DeadlineReminder)
class DeadlineReminderAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "target_type", "target_id", "deadline"]
    list_select_related = ["target_type"]
    paginator = CappedCountPaginator
    show_full_result_count = False


@admin.register(UserPreference)
class UserPreferenceAdmin(ReadOnlyAdmin):
    list_display = ["user", "language"]
    list_select_related = ["user"]


@admin.register(VerifiedEmail)
class VerifiedEmailAdmin(ReadOnlyAdmin):
    list_display = ["user", "address", "verified_at"]
    list_select_related = ["user"]
    search_fields = ["address"]


class AccountChangeForm(UserChangeForm):
    """Django's account form, refusing an address another account uses: the database's unique
    index would otherwise answer the supervisor with a 500."""

    def clean_email(self):
        email = self.cleaned_data.get("email", "").strip()
        if email_in_use(email, other_than=self.instance):
            error = DomainError(CoreErrorCode.EMAIL_TAKEN)
            raise ValidationError(error.message, code=str(error.code))
        return email


class AccountAdmin(UserAdmin):
    form = AccountChangeForm


admin.site.unregister(get_user_model())
admin.site.register(get_user_model(), AccountAdmin)

admin.site.site_header = _("After-sales platform console")
admin.site.site_title = _("After-sales platform console")
admin.site.index_title = _("Cases, appeals and shops")
