"""Writes every app needs: the audit trail, notifications and user accounts."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from uuid import uuid4

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone

from core.accounts import email_verification_read, email_verified
from core.errors import CoreErrorCode, DomainError
from core.models import (
    IDEMPOTENCY_KEY_TTL,
    ActorRole,
    AuditEntry,
    IdempotencyKey,
    Notification,
    OutboxMessage,
    UserPreference,
    VerifiedEmail,
)
from core.notices import Notice
from core.roles import actor_role_on
from core.throttling import hit, rate_for
from core.usernames import username_normalise
from core.vocabulary import check_action, check_notification_kind

# The Celery tasks that e-mail one notification, and an account's own e-mails (core/tasks.py);
# the outbox names tasks by name.
NOTIFICATION_EMAIL_TASK = "core.notification_email"
ACCOUNT_EMAIL_TASK = "core.account_email"
# The account's e-mails (core.emails): the link that proves its address, a password reset link.
VERIFY_EMAIL, PASSWORD_RESET = "verify_email", "password_reset"

# Rows collected by `batched_records()`; None outside of one (the rows are written at once).
_pending_rows: ContextVar[list[models.Model] | None] = ContextVar("pending_rows", default=None)
# Transitions' saves collected by `batched_records(saves=True)`: (row, fields written).
_pending_saves: ContextVar[list[tuple[models.Model, tuple[str, ...]]] | None] = ContextVar(
    "pending_saves", default=None
)


@contextmanager
def batched_records(*, saves: bool = False) -> Iterator[None]:
    """Within this block, audit entries and notifications are collected and inserted with one
    statement per table when it ends, in the same transaction (the deadline sweep's batches).
    With `saves`, the transitions' saves (`save_fields`) are collected too and written with one
    UPDATE per model and set of fields: only for blocks that never read those rows back.
    If the block raises, everything is discarded together with the batch it describes."""
    rows: list[models.Model] = []
    saved: list[tuple[models.Model, tuple[str, ...]]] | None = [] if saves else None
    token, saves_token = _pending_rows.set(rows), _pending_saves.set(saved)
    try:
        yield
    finally:
        _pending_rows.reset(token)
        _pending_saves.reset(saves_token)
    groups: dict[tuple[type[models.Model], tuple[str, ...]], list[models.Model]] = {}
    for obj, fields in saved or ():
        groups.setdefault((type(obj), fields), []).append(obj)
    for (model, fields), objs in groups.items():
        bulk_save(model, objs, fields)
    bulk_insert(AuditEntry, [r for r in rows if isinstance(r, AuditEntry)])
    notifications = [r for r in rows if isinstance(r, Notification)]
    bulk_insert(Notification, notifications, with_ids=True)  # the e-mail outbox needs them
    _queue_emails(notifications)


def save_fields(obj: models.Model, fields: Iterable[str]) -> None:
    """Save `fields` of `obj` now, or with the batch of `batched_records(saves=True)`."""
    pending = _pending_saves.get()
    if pending is None:
        obj.save(update_fields=list(fields))
    else:
        pending.append((obj, tuple(fields)))


def bulk_save(model: type[models.Model], objs: list[models.Model], fields: Iterable[str]) -> None:
    """Write `fields` of every row in `objs` with one UPDATE (each row its own values).

    On PostgreSQL, `UPDATE … FROM unnest(…)`: one array per column, so the statement is the
    same for any number of rows; elsewhere Django's bulk_update.
    """
    if not objs:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_update(objs, list(fields))
        return
    qn = connection.ops.quote_name
    pk = model._meta.pk
    columns = [model._meta.get_field(name) for name in fields]
    arrays = [_prepared(c, [getattr(o, c.attname) for o in objs]) for c in [pk, *columns]]
    names = ", ".join(qn(c.column) for c in [pk, *columns])
    typed = ", ".join(f"%s::{c.db_type(connection)}[]" for c in [pk, *columns])
    assignments = ", ".join(f"{qn(c.column)} = v.{qn(c.column)}" for c in columns)
    table, key = qn(model._meta.db_table), qn(pk.column)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} AS t SET {assignments} FROM unnest({typed}) AS v({names})"  # noqa: S608 (names from the model)
            f" WHERE t.{key} = v.{key}",
            arrays,
        )


def bulk_insert(
    model: type[models.Model], objs: list[models.Model], *, with_ids: bool = False
) -> None:
    """Insert `objs` with one statement: on PostgreSQL a COPY, whose rows psycopg writes in C,
    which costs Python far less than Django's multi-row INSERT with a parameter per value.
    With `with_ids`, each object gets its primary key (on PostgreSQL drawn from the table's
    sequence first, since COPY returns nothing)."""
    if not objs:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objs)
        return
    qn = connection.ops.quote_name
    columns = [f for f in model._meta.concrete_fields if not f.primary_key]
    if with_ids:
        pk = model._meta.pk
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [model._meta.db_table, pk.column, len(objs)],
            )
            for obj, (new_id,) in zip(objs, cursor.fetchall(), strict=True):
                obj.pk = new_id
        columns = [pk, *columns]
    values = [_prepared(c, [getattr(o, c.attname) for o in objs]) for c in columns]
    names = ", ".join(qn(c.column) for c in columns)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {qn(model._meta.db_table)} ({names}) FROM STDIN") as copy,
    ):
        for row in zip(*values, strict=True):
            copy.write_row(row)


def _prepared(field: models.Field, values: list) -> list:
    """The values as the database takes them; plain ones as they are, the rest through the
    field once per distinct value (a batch repeats its moment, action and note)."""
    seen: dict = {}
    out = []
    for value in values:
        if value is None or type(value) in (int, str, bool):
            out.append(value)
            continue
        try:
            if value not in seen:
                seen[value] = field.get_db_prep_save(value, connection)
            out.append(seen[value])
        except TypeError:  # unhashable
            out.append(field.get_db_prep_save(value, connection))
    return out


def _write(rows: list[models.Model]) -> None:
    pending = _pending_rows.get()
    if pending is not None:
        pending.extend(rows)
        return
    if len(rows) == 1:
        rows[0].save(force_insert=True)
    elif rows:
        type(rows[0]).objects.bulk_create(rows)
    _queue_emails([r for r in rows if isinstance(r, Notification)])


def _queue_emails(notifications: list[Notification]) -> None:
    """Every notification to a user with an address is also e-mailed: the outbox row is written
    in the notification's transaction, so the e-mail goes out if and only if it commits."""
    outbox_put(
        [
            (NOTIFICATION_EMAIL_TASK, {"notification_id": n.pk})
            for n in notifications
            if n.recipient.email
        ]
    )


def outbox_put(work: Iterable[tuple[str, dict]], *, at: datetime | None = None) -> None:
    """Write work for after the commit: (Celery task name, JSON keyword arguments) pairs,
    in the caller's transaction. The relay (core.outbox) hands them to the workers."""
    moment = at or timezone.now()
    rows = [
        OutboxMessage(task=task, kwargs=kwargs, created_at=moment, available_at=moment)
        for task, kwargs in work
    ]
    OutboxMessage.objects.bulk_create(rows)


def language_of(user) -> str:
    """The language a user reads us in: their stored preference, else the platform default."""
    stored = UserPreference.objects.filter(user_id=user.pk).values_list("language", flat=True)
    return next(iter(stored), None) or settings.LANGUAGE_CODE


def user_language_set(*, user, language: str) -> None:
    """Remember the language a user chose (the switcher, or their browser's)."""
    UserPreference.objects.update_or_create(user_id=user.pk, defaults={"language": language})


def audit_record(
    *,
    target: models.Model,
    action: str,
    actor,
    from_state: str = "",
    to_state: str = "",
    note: str | Notice = "",
    changes: dict[str, list] | None = None,
    at: datetime | None = None,
) -> AuditEntry:
    """Append one entry to the audit trail, dated `at` (the action's moment; default now).
    `changes` holds the old and new value of each field the action changes besides the state.
    `note` is what a party typed, or the system's own words as a `notice(...)`, stored as its
    msgid and parameters and read in the reader's language (AuditEntry.note_text).
    `actor` is None for the system. The role is the one the actor holds on the target
    (core.roles.actor_role_on), never passed by hand."""
    check_action(action)
    note_params = None
    if isinstance(note, Notice):
        note, note_params = note.msgid, note.params
    actor_role = ActorRole.SYSTEM if actor is None else actor_role_on(target, actor)
    entry = AuditEntry(
        target_type=ContentType.objects.get_for_model(target),
        target_id=target.pk,
        action=action,
        from_state=from_state,
        to_state=to_state,
        actor=actor,
        actor_role=actor_role,
        note=note,
        note_params=note_params,
        changes=changes,
        created_at=at or timezone.now(),
    )
    _write([entry])
    return entry


def notify(
    *,
    recipients: Iterable,
    kind: str,
    message: Notice,
    target: models.Model,
    at: datetime | None = None,
) -> None:
    """Write an in-app notification to each recipient, once per user, and queue its e-mail.

    The message is stored as its msgid and parameters, put into words in the language of
    whoever reads it (core.notices)."""
    check_notification_kind(kind)
    target_type = ContentType.objects.get_for_model(target)
    seen: set[int] = set()
    rows = []
    for user in recipients:
        if user is None or user.pk in seen:
            continue
        seen.add(user.pk)
        rows.append(
            Notification(
                recipient=user,
                kind=kind,
                message=message.msgid,
                params=message.params,
                target_type=target_type,
                target_id=target.pk,
                created_at=at or timezone.now(),
            )
        )
    _write(rows)


def email_in_use(email: str, *, other_than=None) -> bool:
    """Whether another account uses `email`, in any case: one account per address, so that
    a notice or a password reset never reaches a stranger."""
    accounts = get_user_model().objects.filter(email__iexact=email.strip())
    if other_than is not None and other_than.pk is not None:
        accounts = accounts.exclude(pk=other_than.pk)
    return bool(email.strip()) and accounts.exists()


def user_register(*, username: str, password: str, email: str = "", language: str = ""):
    """Create a buyer account (every registered user is a buyer). The name is normalised and
    checked (core.usernames), the password against the password rules, and an e-mail address
    must be no other account's (in any case). An address is e-mailed the link that proves it
    (in `language`); notices are e-mailed to it only once it is proved."""
    user_model = get_user_model()
    username = username_normalise(username)
    email = (email or "").strip()
    if user_model.objects.filter(username__iexact=username).exists():
        raise DomainError(CoreErrorCode.USERNAME_TAKEN, field="username")
    if email_in_use(email):
        raise DomainError(CoreErrorCode.EMAIL_TAKEN, field="email")
    candidate = user_model(username=username, email=email)
    try:
        password_validation.validate_password(password, user=candidate)
    except ValidationError as exc:
        raise DomainError(
            CoreErrorCode.PASSWORD_REFUSED, {"reasons": " ".join(exc.messages)}, field="password"
        ) from exc
    candidate.set_password(password)
    try:
        with transaction.atomic():
            candidate.save()
            if email:
                _account_email_put(candidate, VERIFY_EMAIL, language)
    except IntegrityError as exc:  # a concurrent registration took the name or the address
        if email and user_model.objects.filter(email__iexact=email).exists():
            raise DomainError(CoreErrorCode.EMAIL_TAKEN, field="email") from exc
        raise DomainError(CoreErrorCode.USERNAME_TAKEN, field="username") from exc
    return candidate


def _account_email_put(user, kind: str, language: str) -> bool:
    """Queue one of the account's e-mails, at most `account_email` (a rate) per account, whoever
    asks: a stranger cannot flood an inbox through us. Returns whether it was queued."""
    rate = rate_for("account_email")
    if rate and not hit("account_email", f"user:{user.pk}", rate).allowed:
        return False
    outbox_put(
        [
            (
                ACCOUNT_EMAIL_TASK,
                # `key`: this request's e-mail, sent once however often its work is redone.
                {"kind": kind, "user_id": user.pk, "language": language, "key": uuid4().hex},
            )
        ]
    )
    return True


def user_email_verification_send(*, user, language: str) -> bool:
    """E-mail `user` a new link that proves their address (the last one expired, or was lost).
    Returns whether one was queued: not for an address proved already, nor past the limit."""
    if not user.email or email_verified(user):
        return False
    return _account_email_put(user, VERIFY_EMAIL, language)


def user_email_verify(*, token: str, now: datetime | None = None):
    """Record that the account a link names owns the address it was sent to, and return the
    account. Refused (EMAIL_LINK_INVALID) when the link is forged, expired, or its account's
    address has changed since. Opening a link twice changes nothing the second time."""
    signed = email_verification_read(token)
    user = None
    if signed is not None:
        user = get_user_model().objects.filter(pk=signed[0], is_active=True).first()
    if user is None or user.email.lower() != signed[1]:
        raise DomainError(CoreErrorCode.EMAIL_LINK_INVALID)
    VerifiedEmail.objects.update_or_create(
        user_id=user.pk,
        defaults={"address": user.email, "verified_at": now or timezone.now()},
    )
    return user


def password_reset_request(*, email: str, language: str) -> None:
    """E-mail a password reset link to the active account whose proved address is `email` (in
    any case), if there is one; the asker is told the same either way. An address never proved
    gets none: it may be a stranger's, who could then take the account."""
    for user in get_user_model().objects.filter(email__iexact=email.strip(), is_active=True):
        if user.has_usable_password() and email_verified(user):
            _account_email_put(user, PASSWORD_RESET, language)


def notifications_mark_read(*, user, ids: Iterable[int], now: datetime | None = None) -> int:
    """Mark the user's notifications `ids` read (others' are left alone). One UPDATE."""
    ids = list(ids)
    if not ids:
        return 0
    return Notification.objects.filter(recipient=user, pk__in=ids, read_at__isnull=True).update(
        read_at=now or timezone.now()
    )


def idempotency_keys_purge(*, now: datetime) -> int:
    """Delete the Idempotency-Key records older than IDEMPOTENCY_KEY_TTL (they are no longer
    honoured); return how many. Safe to run at any time and in parallel."""
    deleted, _by_model = IdempotencyKey.objects.filter(
        created_at__lte=now - IDEMPOTENCY_KEY_TTL
    ).delete()
    return deleted
