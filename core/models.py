from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.notices import notice_text


class ActorRole(models.TextChoices):
    BUYER = "buyer", "Buyer"
    MERCHANT = "merchant", "Merchant"
    AGENT = "agent", "Platform agent"
    SUPERVISOR = "supervisor", "Platform supervisor"
    SYSTEM = "system", "System"


class AuditEntry(models.Model):
    """One state change of one object. Append-only: the database refuses UPDATE and DELETE."""

    target_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    target_id = models.BigIntegerField()
    action = models.CharField(max_length=64)
    from_state = models.CharField(max_length=32, blank=True)
    to_state = models.CharField(max_length=32, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_role = models.CharField(max_length=16, choices=ActorRole.choices)
    note = models.TextField(blank=True)
    # What an action changes besides the state, by field: [old value, new value], e.g. a case's
    # assignee {"assigned_agent": [None, 7]} (user ids). Null when only the state changed.
    changes = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["target_type", "target_id", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(actor_role="system", actor__isnull=True)
                | (~models.Q(actor_role="system") & models.Q(actor__isnull=False)),
                name="audit_actor_matches_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action}: {self.from_state or '-'} → {self.to_state or '-'}"


class Notification(models.Model):
    """An in-app message to one user, written in the same transaction as the change it reports.

    `message` is the English msgid and `params` its parameters; `text` reads them in the active
    language (core.notices). Rows with no params hold their text as it reads."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=64)
    message = models.CharField(max_length=500)
    params = models.JSONField(null=True, blank=True)
    target_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    target_id = models.BigIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "-created_at"])]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        return notice_text(self.message, self.params)


# How long a key is honoured; older keys count as new and are purged by
# core.services.idempotency_keys_purge.
IDEMPOTENCY_KEY_TTL = timedelta(hours=24)


class IdempotencyKey(models.Model):
    """The first answer to a POST sent with an Idempotency-Key, replayed for a repeat.

    The row is inserted before the action runs, in the action's transaction: a concurrent
    repeat waits on the unique index until the first commits, then replays its answer.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="idempotency_keys"
    )
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64, help_text="SHA-256 of method, path and body.")
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="one_idempotency_key_per_user"),
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.response_status})"


class OutboxMessage(models.Model):
    """Work to do once a transaction has committed, written in that transaction (the
    transactional outbox): the relay hands each row to Celery, so a broker that is down delays
    the work and never loses it. `task` is a Celery task name; `kwargs` are JSON.

    A row is pending until its work reports back: done, or failed for good with the reason in
    `last_error`. Handed over, it waits until `available_at` (a lease) for that report, and is
    handed over again if none came (a message lost with Redis, a worker gone)."""

    task = models.CharField(max_length=200)
    kwargs = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)
    available_at = models.DateTimeField(
        default=timezone.now, help_text="Not before (a retry's delay, or the lease of a hand-over)."
    )
    attempts = models.PositiveIntegerField(default=0, help_text="Times handed over.")
    relayed_at = models.DateTimeField(null=True, blank=True, help_text="Last handed over.")
    done_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True, help_text="Given up on.")
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        ordering = ["id"]
        indexes = [
            models.Index(
                fields=["available_at", "id"],
                condition=models.Q(done_at__isnull=True, failed_at__isnull=True),
                name="outbox_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task} {self.kwargs}"


class EmailDelivery(models.Model):
    """One e-mail per event and recipient: the unique key is taken in the transaction that
    sends, so a retried or redelivered task finds it and sends nothing."""

    key = models.CharField(max_length=200, unique=True)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    address = models.EmailField()
    language = models.CharField(max_length=16)
    subject = models.CharField(max_length=200)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("e-mail delivery")
        verbose_name_plural = _("e-mail deliveries")

    def __str__(self) -> str:
        return self.key


class DeadlineReminder(models.Model):
    """A reminder was written for this deadline of this object: at most one per deadline."""

    target_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    target_id = models.BigIntegerField()
    deadline = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("deadline reminder")
        verbose_name_plural = _("deadline reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["target_type", "target_id", "deadline"], name="one_reminder_per_deadline"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.target_type_id}:{self.target_id} @ {self.deadline}"


class UserPreference(models.Model):
    """What a user chose for themselves: the language of their notifications and e-mails
    (that of the last thing they did which named one; the platform's default until then)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    language = models.CharField(max_length=16)

    class Meta:
        verbose_name = _("user preference")
        verbose_name_plural = _("user preferences")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.language}"
