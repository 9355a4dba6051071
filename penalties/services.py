"""Writes for penalties, restrictions and shop credit (SPEC §6).

Every write here locks the shop row first, so that two rulings committing at the same moment
count their points one after the other and cross a threshold exactly once.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from core.errors import CoreErrorCode, DomainError
from core.fsm import SYSTEM
from core.notices import Notice, Page, notice
from core.roles import is_supervisor
from core.rules import get_rules
from core.services import audit_record, notify
from merchants.models import SellerLevel, Shop
from orders.models import Order
from orders.notices import about_order
from penalties.errors import PenaltyErrorCode
from penalties.models import PenaltyKind, PenaltyRecord, Restriction

RECENT = timedelta(days=90)
EXCELLENT_RATE = Decimal("0.005")
STANDARD_RATE = Decimal("0.02")
BELOW_STANDARD_MIN_LOST = 5
# The recent lost-dispute rate at which the ranking score reaches 0.
RANKING_ZERO_RATE = Decimal("0.10")


def penalty_period(moment: datetime) -> int:
    """The penalty period a moment falls in: the calendar year in the rules' time zone."""
    return moment.astimezone(ZoneInfo(get_rules().penalty_period_timezone)).year


def points_in_period(*, shop_id: int, period: int) -> int:
    total = PenaltyRecord.objects.filter(
        shop_id=shop_id, period=period, reversed_at__isnull=True
    ).aggregate(total=Sum("points"))["total"]
    return total or 0


def _lock_shop(shop_id: int) -> Shop:
    return Shop.objects.select_for_update().get(pk=shop_id)


def _staff_users(shop: Shop):
    return [membership.user for membership in shop.staff.select_related("user")]


# Where the shop's staff see their points, restrictions and the rulings they may appeal.
DASHBOARD = Page("penalty-dashboard")


def _about_ruling(ruling, message: Notice, *, link: Page | None = None) -> Notice:
    """A notice of points a ruling brought or took away: it names the ruling's goods and
    order and links to the page where the shop appeals it, or to `link`."""
    order = Order.objects.only("number").get(refunds__intervention__ruling=ruling)
    return about_order(order, message, link=link or Page("seller-ruling-appeal", (ruling.pk,)))


def penalty_record_for_ruling(*, ruling, shop_id: int, now: datetime) -> list[PenaltyRecord]:
    """Write the points of a ruling of merchant responsibility, restrict the shop at each
    multiple of the threshold, and refresh its credit. Call inside the ruling's transaction.

    A ruling without merchant responsibility writes nothing. The database refuses a second
    record of the same kind for one ruling.
    """
    if not ruling.merchant_responsible:
        return []
    rules = get_rules()
    shop = _lock_shop(shop_id)
    period = penalty_period(now)
    before = points_in_period(shop_id=shop.pk, period=period)
    points = {PenaltyKind.DISPUTE_LOST: ruling.penalty_points}
    if not ruling.merchant_cooperated:
        points[PenaltyKind.NON_COOPERATION] = rules.non_cooperation_points
    records = [
        PenaltyRecord(
            shop=shop, ruling_id=ruling.pk, kind=kind, points=n, period=period, created_at=now
        )
        for kind, n in points.items()
    ]
    PenaltyRecord.objects.bulk_create(records)
    after = before + sum(r.points for r in records)
    _record_and_tell(
        shop=shop,
        action="penalty",
        actor=SYSTEM,
        note=notice(
            gettext_noop("+%(points)s points for ruling #%(ruling)s: %(total)s in %(period)s"),
            points=after - before,
            ruling=ruling.pk,
            total=after,
            period=period,
        ),
        kind="penalty",
        message=_about_ruling(
            ruling,
            notice(
                gettext_noop(
                    "The ruling on “%(goods)s” (order %(order)s) went against your shop: "
                    "%(points)s penalty points, %(total)s/%(threshold)s this year. You may "
                    "appeal it once, with new information, by %(deadline)s."
                ),
                points=after - before,
                total=after,
                threshold=rules.restriction_threshold,
                deadline=ruling.appeal_deadline,
            ),
        ),
        now=now,
    )
    _standing_follows_points(
        shop=shop, period=period, before=before, after=after, ruling=ruling, now=now
    )
    return records


def _record_and_tell(
    *,
    shop: Shop,
    action: str,
    actor,
    note: str | Notice,
    kind: str,
    message: Notice,
    now: datetime,
    from_state: str = "",
    to_state: str = "",
) -> None:
    """The story of a change to a shop's standing: the audit entry (in the role the actor
    holds; the system's for SYSTEM) and a notification to each of the shop's staff, which
    links to the dashboard unless it names its page."""
    audit_record(
        target=shop,
        action=action,
        actor=actor,
        from_state=from_state,
        to_state=to_state,
        note=note,
        at=now,
    )
    if "link" not in message.params:
        message = Notice(message.msgid, {**message.params, **notice("", link=DASHBOARD).params})
    notify(recipients=_staff_users(shop), kind=kind, message=message, target=shop, at=now)


def _standing_follows_points(
    *,
    shop: Shop,
    period: int,
    before: int,
    after: int,
    now: datetime,
    ruling=None,
    actor=SYSTEM,
    lift_reason: str = "",
    lift_message: Notice | None = None,
) -> None:
    """The shop's points in `period` went from `before` to `after`: restrict it for each
    threshold newly reached, or lift (with `lift_reason`, telling the staff `lift_message`)
    the restrictions whose threshold it no longer reaches; then bring its catalogue flag and
    its credit up to date. The caller holds the shop's lock."""
    if after > before:
        _restrict_for_new_thresholds(
            shop=shop, period=period, before=before, after=after, ruling=ruling, now=now
        )
    else:
        _lift_restrictions_no_longer_held(
            shop=shop, period=period, reason=lift_reason, message=lift_message, actor=actor, now=now
        )
    _sync_restricted_until(shop, now)
    shop_refresh_credit(shop=shop, now=now)


def _restrict_for_new_thresholds(
    *, shop: Shop, period: int, before: int, after: int, ruling, now: datetime
) -> None:
    """Restrict the shop once for each multiple of the threshold its points passed on the way
    from `before` to `after` (the shop's lock makes concurrent rulings count one after the
    other, so each crossing restricts exactly once).

    A crossing is read from the points: a restriction a supervisor lifted early still counts
    (its points stay), so the next multiple restricts at the next level, twice as long; one
    lifted because its points were taken away does not, so reaching that multiple again
    restricts again. Never below the highest restriction on record that was not lifted, so a
    threshold raised within the period does not impose a level a second time."""
    rules = get_rules()
    standing = Restriction.objects.filter(shop=shop, period=period, lifted_at__isnull=True)
    done = max(
        before // rules.restriction_threshold,
        standing.aggregate(level=Max("level"))["level"] or 0,
    )
    for level in range(done + 1, after // rules.restriction_threshold + 1):
        restriction = Restriction.objects.create(
            shop=shop,
            period=period,
            level=level,
            points_at_start=after,
            starts_at=now,
            ends_at=now + rules.restriction_length(level),
            ruling_id=ruling.pk if ruling else None,
        )
        _record_and_tell(
            shop=shop,
            action="restrict",
            actor=SYSTEM,
            to_state="restricted",
            note=notice(
                gettext_noop("%(total)s points in %(period)s: restricted until %(until)s"),
                total=after,
                period=period,
                until=restriction.ends_at,
            ),
            kind="restriction",
            message=_restricted_notice(ruling, points=after, until=restriction.ends_at),
            now=now,
        )


def _restricted_notice(ruling, *, points: int, until: datetime) -> Notice:
    if ruling is None:  # a supervisor's adjustment
        return notice(
            gettext_noop(
                "Your shop reached %(points)s penalty points and is restricted until "
                "%(until)s: it is hidden from the catalogue and cannot list products."
            ),
            points=points,
            until=until,
        )
    return _about_ruling(
        ruling,
        notice(
            gettext_noop(
                "With the ruling on “%(goods)s” (order %(order)s) your shop reached "
                "%(points)s penalty points and is restricted until %(until)s: it is hidden "
                "from the catalogue and cannot list products. You may appeal the ruling by "
                "%(deadline)s; overturned, it takes its points and the restriction away."
            ),
            points=points,
            until=until,
            deadline=ruling.appeal_deadline,
        ),
    )


def _sync_restricted_until(shop: Shop, now: datetime) -> None:
    """Keep the shop's catalogue flag equal to the latest end among restrictions in force."""
    until = Restriction.objects.filter(shop=shop, ended_at__isnull=True, ends_at__gt=now).aggregate(
        until=Max("ends_at")
    )["until"]
    if shop.restricted_until != until:
        shop.restricted_until = until
        shop.save(update_fields=["restricted_until"])


def penalties_reverse_for_ruling(*, ruling, shop_id: int, note: str, actor, now: datetime) -> int:
    """An overturned ruling stops counting: its records are reversed with a note, restrictions
    that no longer hold are lifted, and the credit is rebuilt. Returns the points reversed."""
    shop = _lock_shop(shop_id)
    records = list(PenaltyRecord.objects.filter(ruling_id=ruling.pk, reversed_at__isnull=True))
    if not records:
        return 0
    # One ruling's records are written together, in one period.
    period = records[0].period
    before = points_in_period(shop_id=shop.pk, period=period)
    PenaltyRecord.objects.filter(pk__in=[r.pk for r in records]).update(
        reversed_at=now, reversal_note=note
    )
    reversed_points = sum(r.points for r in records)
    audit_record(
        target=shop,
        action="penalty_reversed",
        actor=actor,
        note=notice(
            gettext_noop("-%(points)s points: ruling #%(ruling)s overturned. %(note)s"),
            points=reversed_points,
            ruling=ruling.pk,
            note=note,
        ),
        at=now,
    )
    _standing_follows_points(
        shop=shop,
        period=period,
        before=before,
        after=before - reversed_points,
        actor=actor,
        lift_reason=f"Ruling #{ruling.pk} overturned on appeal.",
        lift_message=_about_ruling(
            ruling,
            notice(
                gettext_noop(
                    "The ruling on “%(goods)s” (order %(order)s) was overturned on appeal: its "
                    "points no longer count and the restriction on your shop is lifted."
                )
            ),
            link=DASHBOARD,
        ),
        now=now,
    )
    return reversed_points


def _restriction_over(
    *, shop: Shop, action: str, actor, note: str | Notice, message: Notice, now
) -> None:
    """A restriction in force stopped (ran out or lifted): the shop's catalogue flag follows,
    and the audit entry says whether the shop is active again or another restriction still
    holds; the staff are told."""
    _sync_restricted_until(shop, now)
    _record_and_tell(
        shop=shop,
        action=action,
        actor=actor,
        from_state="restricted",
        to_state="" if shop.restricted_until else "active",
        note=note,
        kind="restriction",
        message=message,
        now=now,
    )


def _lift(restriction: Restriction, *, reason: str, now: datetime) -> None:
    """End a restriction before its time, with the reason: every lifting writes the same
    three fields (one that already ran out keeps the moment it ended)."""
    restriction.ended_at = restriction.ended_at or now
    restriction.lifted_at = now
    restriction.lifted_reason = reason
    restriction.save(update_fields=["ended_at", "lifted_at", "lifted_reason"])


def _lift_restrictions_no_longer_held(
    *, shop: Shop, period: int, reason: str, message: Notice, actor, now: datetime
) -> None:
    """Points were taken away: a threshold crossing the shop no longer reaches stops counting
    (so crossing it again restricts again), and a restriction in force for it ends."""
    level_held = (
        points_in_period(shop_id=shop.pk, period=period) // get_rules().restriction_threshold
    )
    # Restrictions that ran out stop counting too.
    lifted = Restriction.objects.filter(
        shop=shop, period=period, level__gt=level_held, lifted_at__isnull=True
    )
    for restriction in lifted:
        was_in_force = restriction.in_force(now)
        _lift(restriction, reason=reason, now=now)
        if was_in_force:
            _restriction_over(
                shop=shop,
                action="restriction_lifted",
                actor=actor,
                note=reason,
                message=message,
                now=now,
            )


def _supervisor_reason(actor, reason: str | None) -> str:
    if not is_supervisor(actor):
        raise DomainError(PenaltyErrorCode.SUPERVISORS_ONLY)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(CoreErrorCode.TEXT_REQUIRED, {"what": _("A reason")}, field="reason")
    limit = get_rules().max_text_length
    if len(reason) > limit:
        raise DomainError(
            CoreErrorCode.TEXT_TOO_LONG, {"what": _("The reason"), "limit": limit}, field="reason"
        )
    return reason


def restriction_lift(
    *, restriction: Restriction, actor, reason: str, now: datetime | None = None
) -> Restriction:
    """A supervisor ends a restriction in force early, with a reason: it is lifted like one
    whose points were taken away (ended, lifted at, reason). Audited; the shop's staff are
    told.

    The points stay, and so does the crossing (SPEC §6: restrictions follow the points): the
    shop is not restricted again for the same threshold, and the next multiple of the
    threshold in the period restricts at the next level, twice as long, as if this one had
    run its course."""
    now = now or timezone.now()
    reason = _supervisor_reason(actor, reason)
    with transaction.atomic():
        shop = _lock_shop(restriction.shop_id)
        restriction = Restriction.objects.select_for_update().get(pk=restriction.pk)
        if not restriction.in_force(now):
            raise DomainError(PenaltyErrorCode.RESTRICTION_NOT_IN_FORCE, state="ended")
        _lift(restriction, reason=reason, now=now)
        _restriction_over(
            shop=shop,
            action="restriction_lifted",
            actor=actor,
            note=reason,
            message=notice(
                gettext_noop(
                    "A platform supervisor lifted the restriction on your shop: %(reason)s"
                ),
                reason=reason,
            ),
            now=now,
        )
    return restriction


def shop_points_adjust(
    *, shop: Shop, actor, points: int, reason: str, now: datetime | None = None
) -> PenaltyRecord:
    """A supervisor adds or removes penalty points in the current period, with a reason. Added
    points restrict at each threshold like a ruling's; removed points lift restrictions that no
    longer hold. Audited; the shop's staff are told."""
    now = now or timezone.now()
    reason = _supervisor_reason(actor, reason)
    try:
        points = int(points)
    except (TypeError, ValueError) as exc:
        raise DomainError(PenaltyErrorCode.POINTS_NOT_WHOLE, field="points") from exc
    if points == 0:
        raise DomainError(PenaltyErrorCode.POINTS_ZERO, field="points")
    rules = get_rules()
    with transaction.atomic():
        shop = _lock_shop(shop.pk)
        period = penalty_period(now)
        before = points_in_period(shop_id=shop.pk, period=period)
        if before + points < 0:
            raise DomainError(
                PenaltyErrorCode.POINTS_BELOW_ZERO, {"points": before}, field="points"
            )
        record = PenaltyRecord.objects.create(
            shop=shop,
            kind=PenaltyKind.ADJUSTMENT,
            points=points,
            period=period,
            note=reason,
            created_at=now,
        )
        after = before + points
        _record_and_tell(
            shop=shop,
            action="points_adjusted",
            actor=actor,
            note=notice(
                gettext_noop("%(points)s points: %(total)s in %(period)s. %(reason)s"),
                points=f"{points:+d}",
                total=after,
                period=period,
                reason=reason,
            ),
            kind="penalty",
            message=notice(
                gettext_noop(
                    "A platform supervisor adjusted your penalty points by %(points)s: "
                    "%(total)s/%(threshold)s this year. %(reason)s"
                ),
                points=f"{points:+d}",
                total=after,
                threshold=rules.restriction_threshold,
                reason=reason,
            ),
            now=now,
        )
        _standing_follows_points(
            shop=shop,
            period=period,
            before=before,
            after=after,
            actor=actor,
            lift_reason=f"Points adjusted by a supervisor: {reason}",
            lift_message=notice(
                gettext_noop("A restriction on your shop was lifted: its points were taken away.")
            ),
            now=now,
        )
    return record


def restriction_end(*, restriction: Restriction, now: datetime) -> None:
    """A restriction whose time ran out ends; the caller holds its row lock."""
    shop = _lock_shop(restriction.shop_id)
    restriction.ended_at = now
    restriction.save(update_fields=["ended_at"])
    _restriction_over(
        shop=shop,
        action="restriction_ended",
        actor=SYSTEM,
        note=notice(
            gettext_noop("Restriction level %(level)s of %(period)s ran out."),
            level=restriction.level,
            period=restriction.period,
        ),
        message=notice(gettext_noop("A restriction on your shop has ended.")),
        now=now,
    )


def lost_dispute_rate(*, lost: int, paid_orders: int) -> Decimal:
    """Lost disputes per paid order over a window (a lost dispute counts at least its own
    order, so the rate never passes 1). The one formula of the seller level, the ranking and
    the dashboard."""
    return Decimal(lost) / Decimal(max(paid_orders, lost)) if lost else Decimal(0)


def _lost_dispute_rate(*, shop_id: int, now: datetime) -> tuple[int, Decimal]:
    since = now - RECENT
    lost = PenaltyRecord.objects.filter(
        shop_id=shop_id,
        kind=PenaltyKind.DISPUTE_LOST,
        reversed_at__isnull=True,
        created_at__gte=since,
    ).count()
    paid_orders = Order.objects.filter(shop_id=shop_id, paid_at__gte=since).count()
    return lost, lost_dispute_rate(lost=lost, paid_orders=paid_orders)


def seller_level_for(*, lost: int, rate: Decimal) -> str:
    if rate <= EXCELLENT_RATE:
        return SellerLevel.EXCELLENT
    if rate > STANDARD_RATE and lost >= BELOW_STANDARD_MIN_LOST:
        return SellerLevel.BELOW_STANDARD
    return SellerLevel.STANDARD


def ranking_score_for(rate: Decimal) -> Decimal:
    """100 for a shop that lost no dispute lately, falling to 0 at RANKING_ZERO_RATE (10%)."""
    score = Decimal(100) * (1 - min(Decimal(1), rate / RANKING_ZERO_RATE))
    return score.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def shop_refresh_credit(*, shop: Shop, now: datetime | None = None) -> Shop:
    """Rebuild the shop's public credit from its penalty records and orders."""
    now = now or timezone.now()
    lost, rate = _lost_dispute_rate(shop_id=shop.pk, now=now)
    shop.dispute_cases = PenaltyRecord.objects.filter(
        shop=shop, kind=PenaltyKind.DISPUTE_LOST, reversed_at__isnull=True
    ).count()
    shop.seller_level = seller_level_for(lost=lost, rate=rate)
    shop.ranking_score = ranking_score_for(rate)
    shop.save(update_fields=["dispute_cases", "seller_level", "ranking_score"])
    return shop


def shops_recompute_credit(*, now: datetime | None = None) -> int:
    """Rebuild every shop's credit and restriction flag from the records."""
    now = now or timezone.now()
    count = 0
    for shop_id in Shop.objects.values_list("pk", flat=True).iterator():
        with transaction.atomic():
            shop = _lock_shop(shop_id)
            _sync_restricted_until(shop, now)
            shop_refresh_credit(shop=shop, now=now)
        count += 1
    return count
