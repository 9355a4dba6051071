from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import vocabulary
from core.notices import notice_page, notice_text


class ActorRole(models.TextChoices):
    # Pages show both platform roles as the platform; the admin tells them apart by the actor.
    BUYER = "buyer", _("Buyer")
    MERCHANT = "merchant", _("Shop")
    AGENT = "agent", _("Platform")
    SUPERVISOR = "supervisor", _("Platform")
    SYSTEM = "system", _("System")


class AuditEntry(models.Model):
    """One state change of one object. Append-only: the database refuses UPDATE and DELETE."""

    target_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("target type")
    )
    target_id = models.BigIntegerField(verbose_name=_("target id"))
    # The actions and their words are declared where they happen (core.vocabulary).
    action = models.CharField(
        max_length=64, choices=vocabulary.action_choices, verbose_name=_("action")
    )
    from_state = models.CharField(max_length=32, blank=True, verbose_name=_("from state"))
    to_state = models.CharField(max_length=32, blank=True, verbose_name=_("to state"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("actor"),
    )
    actor_role = models.CharField(
        max_length=16, choices=ActorRole.choices, verbose_name=_("actor role")
    )
    # What a party typed, as typed; or, with `note_params`, the English msgid of the system's own
    # words and its parameters, read in the reader's language (`note_text`, core.notices).
    note = models.TextField(blank=True, verbose_name=_("note"))
    note_params = models.JSONField(null=True, blank=True, verbose_name=_("note parameters"))
    # What an action changes besides the state, by field: [old value, new value], e.g. a case's
    # assignee {"assigned_agent": [None, 7]} (user ids). Null when only the state changed.
    changes = models.JSONField(null=True, blank=True, verbose_name=_("changes"))
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))

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
        return f"{self.get_action_display()}: {self.from_state or '-'} → {self.to_state or '-'}"

    def get_action_display(self) -> str:
        """What happened, in the words of the state it led to (core.vocabulary): a shop's
        approval of a return request reads 商家同意退货, of a refund 商家同意退款."""
        return str(vocabulary.action_words(self.action, self.to_state))

    @property
    def note_text(self) -> str:
        return notice_text(self.note, self.note_params)

    def state_words(self, value: str):
        """A state this entry names, as its target's `state` choices read it (the value itself
        for a target without states)."""
        try:
            field = self.target_type.model_class()._meta.get_field("state")
        except FieldDoesNotExist:
            return value
        return dict(field.flatchoices).get(value, value)


class Notification(models.Model):
    """An in-app message to one user, written in the same transaction as the change it reports.

    `message` is the English msgid and `params` its parameters; `text` reads them in the active
    language (core.notices). Rows with no params hold their text as it reads."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    # A notification's headline, by its kind, declared by the app that notifies (core.vocabulary);
    # its text follows (core.notices).
    kind = models.CharField(
        max_length=64, choices=vocabulary.notification_choices, verbose_name=_("kind")
    )
    message = models.CharField(max_length=500, verbose_name=_("message"))
    params = models.JSONField(null=True, blank=True, verbose_name=_("params"))
    target_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("target type")
    )
    target_id = models.BigIntegerField(verbose_name=_("target id"))
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))
    read_at = models.DateTimeField(null=True, blank=True, verbose_name=_("read at"))
    emailed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("emailed at"))

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

    @property
    def link(self) -> str | None:
        """The page where the reader acts on it: the one the notice names, or for a row
        written before notices named theirs, the page its target opens on (no query)."""
        page = notice_page(self.params, "link")
        if page is not None:
            return page
        target = ContentType.objects.get_for_id(self.target_type_id)
        name = _TARGET_PAGES.get((target.app_label, target.model))
        if name is None:
            return None
        # A shop's own notices lead to its dashboard, which is the reader's shop's.
        return reverse(name) if target.model == "shop" else reverse(name, args=[self.target_id])

    @property
    def picture(self) -> str | None:
        """The goods' picture shown beside it, if the notice names one."""
        return notice_page(self.params, "picture")


# Where a notification written before notices named their page leads, by its target: these
# pages send each reader on to their own (ContentType lookups are cached).
_TARGET_PAGES = {
    ("disputes", "refundrequest"): "refund-open",
    ("disputes", "intervention"): "intervention-open",
    ("orders", "order"): "order-detail",
    ("merchants", "shop"): "penalty-dashboard",
}


# How long a key is honoured; older keys count as new and are purged by
# core.services.idempotency_keys_purge.
IDEMPOTENCY_KEY_TTL = timedelta(hours=24)


class IdempotencyKey(models.Model):
    """The first answer to a POST sent with an Idempotency-Key, replayed for a repeat.

    The row is inserted before the action runs, in the action's transaction: a concurrent
    repeat waits on the unique index until the first commits, then replays its answer.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="idempotency_keys",
        verbose_name=_("user"),
    )
    key = models.CharField(max_length=255, verbose_name=_("key"))
    fingerprint = models.CharField(
        max_length=64,
        help_text=_("SHA-256 of method, path and body."),
        verbose_name=_("fingerprint"),
    )
    response_status = models.PositiveSmallIntegerField(
        null=True, blank=True, verbose_name=_("response status")
    )
    response_body = models.JSONField(null=True, blank=True, verbose_name=_("response body"))
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))

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

    task = models.CharField(max_length=200, verbose_name=_("task"))
    kwargs = models.JSONField(default=dict, verbose_name=_("kwargs"))
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))
    available_at = models.DateTimeField(
        default=timezone.now,
        help_text=_("Not before (a retry's delay, or the lease of a hand-over)."),
        verbose_name=_("available at"),
    )
    attempts = models.PositiveIntegerField(
        default=0, help_text=_("Times handed over."), verbose_name=_("attempts")
    )
    relayed_at = models.DateTimeField(
        null=True, blank=True, help_text=_("Last handed over."), verbose_name=_("relayed at")
    )
    done_at = models.DateTimeField(null=True, blank=True, verbose_name=_("done at"))
    failed_at = models.DateTimeField(
        null=True, blank=True, help_text=_("Given up on."), verbose_name=_("failed at")
    )
    last_error = models.CharField(max_length=500, blank=True, verbose_name=_("last error"))

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

    key = models.CharField(max_length=200, unique=True, verbose_name=_("key"))
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("recipient"),
    )
    address = models.EmailField(verbose_name=_("address"))
    language = models.CharField(max_length=16, verbose_name=_("language"))
    subject = models.CharField(max_length=200, verbose_name=_("subject"))
    sent_at = models.DateTimeField(default=timezone.now, verbose_name=_("sent at"))

    class Meta:
        verbose_name = _("e-mail delivery")
        verbose_name_plural = _("e-mail deliveries")

    def __str__(self) -> str:
        return self.key


class DeadlineReminder(models.Model):
    """A reminder was written for this deadline of this object: at most one per deadline."""

    target_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("target type")
    )
    target_id = models.BigIntegerField(verbose_name=_("target id"))
    deadline = models.DateTimeField(verbose_name=_("deadline"))
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))

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
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="+",
        verbose_name=_("user"),
    )
    language = models.CharField(max_length=16, verbose_name=_("language"))

    class Meta:
        verbose_name = _("user preference")
        verbose_name_plural = _("user preferences")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.language}"


class VerifiedEmail(models.Model):
    """The e-mail address a user proved to be theirs, by opening the link sent to it. Notices
    are e-mailed only to a user whose address is this one: an address typed at sign-up may be
    a stranger's, and one changed since is not proved."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="+",
        verbose_name=_("user"),
    )
    address = models.EmailField(verbose_name=_("address"))
    verified_at = models.DateTimeField(default=timezone.now, verbose_name=_("verified at"))

    class Meta:
        verbose_name = _("verified e-mail address")
        verbose_name_plural = _("verified e-mail addresses")

    def __str__(self) -> str:
        return self.address
