"""The supervisors' desk for shops: penalty records, restrictions with "lift", and the
per-shop points adjustment. The rows are read-only; the writes are the penalty services."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.admin import CappedCountPaginator, ReadOnlyAdmin, object_pk_or_404, show_refusal
from core.errors import DomainError
from core.roles import is_supervisor
from core.rules import get_rules
from merchants.models import Shop
from penalties.models import PenaltyRecord, Restriction
from penalties.services import (
    penalty_period,
    points_in_period,
    restriction_lift,
    shop_points_adjust,
)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (the shop reads it)"), widget=forms.Textarea(attrs={"rows": 3})
    )


class PointsAdjustmentForm(ReasonForm):
    points = forms.IntegerField(
        label=_("Points to add (negative to remove)"),
        help_text=_("For example 3, or -2."),
    )
    field_order = ["points", "reason"]


def _render_form(admin_obj, request, *, title, intro, form, back_url, template_context=None):
    context = {
        **admin_obj.admin_site.each_context(request),
        "opts": admin_obj.opts,
        "title": title,
        "intro": intro,
        "form": form,
        "back_url": back_url,
        **(template_context or {}),
    }
    return TemplateResponse(request, "admin/penalties/reason_form.html", context)


@admin.register(PenaltyRecord)
class PenaltyRecordAdmin(ReadOnlyAdmin):
    list_display = [
        "shop",
        "kind",
        "points",
        "period",
        "ruling",
        "note",
        "created_at",
        "reversed_at",
    ]
    list_filter = ["kind", "period"]
    list_select_related = ["shop"]
    search_fields = ["shop__name"]
    paginator = CappedCountPaginator
    show_full_result_count = False

    def get_urls(self):
        adjust = path(
            "adjust/<path:shop_id>/",
            self.admin_site.admin_view(self.adjust_view),
            name="penalties_penaltyrecord_adjust",
        )
        return [adjust, *super().get_urls()]

    def adjust_view(self, request, shop_id):
        """A supervisor adds or removes a shop's points this period, with a reason."""
        if not (self.has_view_permission(request) and is_supervisor(request.user)):
            raise PermissionDenied
        shop = get_object_or_404(Shop, pk=object_pk_or_404(shop_id))
        back_url = reverse("admin:merchants_shop_change", args=[shop.pk])
        form = PointsAdjustmentForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                shop_points_adjust(
                    shop=shop,
                    actor=request.user,
                    points=form.cleaned_data["points"],
                    reason=form.cleaned_data["reason"],
                )
            except DomainError as exc:
                if not show_refusal(request, form, exc):
                    return HttpResponseRedirect(back_url)
            else:
                messages.success(request, _("The shop's points are adjusted."))
                return HttpResponseRedirect(back_url)
        now = timezone.now()
        period = penalty_period(now)
        intro = _("%(shop)s has %(points)s of %(threshold)s points in %(period)s.") % {
            "shop": shop,
            "points": points_in_period(shop_id=shop.pk, period=period),
            "threshold": get_rules().restriction_threshold,
            "period": period,
        }
        return _render_form(
            self,
            request,
            title=_("Adjust the penalty points of %(shop)s") % {"shop": shop},
            intro=intro,
            form=form,
            back_url=back_url,
        )


class InForceFilter(admin.SimpleListFilter):
    title = _("in force")
    parameter_name = "in_force"

    def lookups(self, request, model_admin):
        return [("yes", _("In force now"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            now = timezone.now()
            return queryset.filter(ended_at__isnull=True, starts_at__lte=now, ends_at__gt=now)
        return queryset


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
        "in_force",
    ]
    list_filter = [InForceFilter, "period", "level"]
    list_select_related = ["shop"]
    search_fields = ["shop__name"]
    change_form_template = "admin/penalties/restriction/change_form.html"

    @admin.display(description=_("in force"), boolean=True)
    def in_force(self, obj):
        return obj.in_force()

    def get_urls(self):
        lift = path(
            "<path:object_id>/lift/",
            self.admin_site.admin_view(self.lift_view),
            name="penalties_restriction_lift",
        )
        return [lift, *super().get_urls()]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        restriction = self.get_object(request, unquote(object_id))
        extra_context = {
            **(extra_context or {}),
            "may_lift": restriction is not None
            and restriction.in_force()
            and is_supervisor(request.user),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def lift_view(self, request, object_id):
        """A supervisor ends a restriction early, with a reason."""
        if not (self.has_view_permission(request) and is_supervisor(request.user)):
            raise PermissionDenied
        restriction = get_object_or_404(
            Restriction.objects.select_related("shop"), pk=object_pk_or_404(object_id)
        )
        back_url = reverse("admin:penalties_restriction_change", args=[restriction.pk])
        form = ReasonForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                restriction_lift(
                    restriction=restriction, actor=request.user, reason=form.cleaned_data["reason"]
                )
            except DomainError as exc:
                if not show_refusal(request, form, exc):
                    return HttpResponseRedirect(back_url)
            else:
                messages.success(request, _("The restriction is lifted."))
                return HttpResponseRedirect(back_url)
        return _render_form(
            self,
            request,
            title=_("Lift the restriction on %(shop)s") % {"shop": restriction.shop},
            intro=_("Restricted from %(start)s until %(end)s (level %(level)s).")
            % {
                "start": f"{timezone.localtime(restriction.starts_at):%Y-%m-%d %H:%M}",
                "end": f"{timezone.localtime(restriction.ends_at):%Y-%m-%d %H:%M}",
                "level": restriction.level,
            },
            form=form,
            back_url=back_url,
        )
