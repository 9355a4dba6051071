"""Penalty points and restrictions on shops (SPEC §6).

Rulings are referenced by the "disputes.Ruling" string: penalties never imports disputes.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.vocabulary import declare_actions, declare_notification_kinds
from merchants.models import Shop

# What the services audit on a shop's standing (core.vocabulary).
declare_actions(
    penalty=_("Penalty points recorded"),
    penalty_reversed=_("Penalty points reversed"),
    points_adjusted=_("Points adjusted by a platform supervisor"),
    restrict=_("Shop restricted"),
    restriction_lifted=_("Restriction lifted"),
    restriction_ended=_("Restriction ended"),
)
declare_notification_kinds(
    penalty=_("Penalty points"),
    restriction=_("Shop restriction changed"),
)


class PenaltyKind(models.TextChoices):
    DISPUTE_LOST = "dispute_lost", _("Dispute lost")
    NON_COOPERATION = "non_cooperation", _("Did not cooperate")
    ADJUSTMENT = "adjustment", _("Adjusted by a platform supervisor")


class PenaltyRecord(models.Model):
    shop = models.ForeignKey(
        Shop, on_delete=models.PROTECT, related_name="penalty_records", verbose_name=_("shop")
    )
    # Every record but a supervisor's adjustment comes from a ruling.
    ruling = models.ForeignKey(
        "disputes.Ruling",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="penalties",
        verbose_name=_("ruling"),
    )
    kind = models.CharField(max_length=20, choices=PenaltyKind.choices, verbose_name=_("kind"))
    points = models.SmallIntegerField(
        help_text=_("Negative only for an adjustment that removes points."),
        verbose_name=_("points"),
    )
    period = models.PositiveSmallIntegerField(
        help_text=_("The penalty period (calendar year)."), verbose_name=_("period")
    )
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))
    reversed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("reversed at"))
    reversal_note = models.TextField(blank=True, verbose_name=_("reversal note"))
    note = models.TextField(
        blank=True,
        help_text=_("The supervisor's reason for an adjustment."),
        verbose_name=_("note"),
    )

    class Meta:
        verbose_name = _("penalty record")
        verbose_name_plural = _("penalty records")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["shop", "period"])]
        constraints = [
            models.UniqueConstraint(
                fields=["ruling", "kind"], name="one_penalty_per_ruling_and_kind"
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(kind="adjustment", ruling__isnull=True)
                    & ~models.Q(points=0)
                    & ~models.Q(note="")
                )
                | (~models.Q(kind="adjustment") & models.Q(ruling__isnull=False, points__gt=0)),
                name="penalty_from_a_ruling_or_an_adjustment",
            ),
        ]

    def __str__(self) -> str:
        return gettext("%(points)s points to %(shop)s (%(kind)s)") % {
            "points": self.points,
            "shop": self.shop,
            "kind": self.get_kind_display(),
        }

    @property
    def counts(self) -> bool:
        return self.reversed_at is None


class Restriction(models.Model):
    """One crossing of a multiple of the threshold within a period: level 1 at 12 points,
    level 2 at 24, and so on, each twice as long as the one before."""

    shop = models.ForeignKey(
        Shop, on_delete=models.PROTECT, related_name="restrictions", verbose_name=_("shop")
    )
    period = models.PositiveSmallIntegerField(verbose_name=_("period"))
    level = models.PositiveSmallIntegerField(verbose_name=_("level"))
    points_at_start = models.PositiveSmallIntegerField(verbose_name=_("points at start"))
    starts_at = models.DateTimeField(verbose_name=_("starts at"))
    ends_at = models.DateTimeField(verbose_name=_("ends at"))
    ruling = models.ForeignKey(
        "disputes.Ruling",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("ruling"),
    )
    ended_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("ended at")
    )  # ran out, or lifted
    # Lifted before its time: by a supervisor (the points stay, so the crossing still counts
    # towards the next, longer restriction), or because the points behind it were taken away
    # (an overturned ruling, an adjustment: reaching the threshold again restricts again).
    # penalties.services reads which from the points.
    lifted_at = models.DateTimeField(null=True, blank=True, verbose_name=_("lifted at"))
    lifted_reason = models.TextField(blank=True, verbose_name=_("lifted reason"))

    class Meta:
        verbose_name = _("shop restriction")
        verbose_name_plural = _("shop restrictions")
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["ended_at", "ends_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["shop", "period", "level"],
                condition=models.Q(lifted_at__isnull=True),
                name="one_restriction_per_threshold_crossing",
            ),
            models.CheckConstraint(
                condition=models.Q(level__gte=1), name="restriction_level_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="restriction_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return gettext("%(shop)s restricted until %(date)s") % {
            "shop": self.shop,
            "date": f"{self.ends_at:%Y-%m-%d}",
        }

    def in_force(self, now=None) -> bool:
        now = now or timezone.now()
        return self.ended_at is None and self.starts_at <= now < self.ends_at
