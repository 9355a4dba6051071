"""The agents' console: the intervention queue, the case page with its ruling form, and the
supervisors' appeals. Every write goes through disputes.services; the rows are read-only."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Q
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from core.admin import CappedCountPaginator, ReadOnlyAdmin, object_pk_or_404, show_refusal
from core.errors import DomainError
from core.errors import PermissionDenied as RoleRefused
from core.forms import MoneyField
from core.roles import is_agent
from core.rules import get_rules
from disputes import services
from disputes.errors import DisputeErrorCode
from disputes.models import (
    OPEN_INTERVENTION_STATES,
    QUEUE_DEADLINE,
    Appeal,
    AppealDecision,
    Evidence,
    Intervention,
    InterventionState,
    Message,
    MessageImage,
    Party,
    PlatformReimbursement,
    RefundOffer,
    RefundPayment,
    RefundRequest,
    Ruling,
    RulingOutcome,
)
from disputes.policies import (
    CENT,
    may_assign,
    may_decide_appeal,
    may_rule,
    may_write_message,
    ruling_choices,
)
from disputes.selectors import (
    buyer_history,
    case_evidence,
    case_timeline,
    refund_messages,
    refund_offers,
)
from merchants.selectors import default_return_address
from orders.selectors import items_as_sold


@admin.register(RefundRequest)
class RefundRequestAdmin(ReadOnlyAdmin):
    list_display = ["id", "order", "kind", "reason", "amount", "state", "deadline", "created_at"]
    list_filter = ["state", "kind", "reason"]
    list_select_related = ["order"]
    search_fields = ["=order__number"]
    paginator = CappedCountPaginator
    show_full_result_count = False


class NarrowedByDefaultFilter(admin.SimpleListFilter):
    """A list filter that starts on DEFAULT rather than on every row: "All" is one of its own
    choices (ALL), in place of Django's, which clears the parameter and so would land on the
    default again."""

    DEFAULT: str
    ALL = "all"

    def value(self):
        return super().value() or self.DEFAULT

    def choices(self, changelist):
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == str(lookup),
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }


class QueueStateFilter(NarrowedByDefaultFilter):
    """Open cases unless the agent asks for another state (or all)."""

    title = _("state")
    parameter_name = "queue"
    OPEN = DEFAULT = "open"

    def lookups(self, request, model_admin):
        return [
            (self.OPEN, _("Open (awaiting evidence or under review)")),
            *InterventionState.choices,
            (self.ALL, _("All")),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == self.OPEN:
            return queryset.filter(state__in=OPEN_INTERVENTION_STATES)
        if value in InterventionState.values:
            return queryset.filter(state=value)
        return queryset


class OverdueFilter(admin.SimpleListFilter):
    title = _("deadline")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("Overdue"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(
                state__in=OPEN_INTERVENTION_STATES, queue_deadline__lt=timezone.now()
            )
        return queryset


class AssignedFilter(admin.SimpleListFilter):
    title = _("assigned agent")
    parameter_name = "assigned"

    def lookups(self, request, model_admin):
        return [("me", _("Assigned to me")), ("nobody", _("Unassigned"))]

    def queryset(self, request, queryset):
        if self.value() == "me":
            return queryset.filter(assigned_agent=request.user)
        if self.value() == "nobody":
            return queryset.filter(assigned_agent__isnull=True)
        return queryset


@admin.register(Intervention)
class InterventionAdmin(ReadOnlyAdmin):
    """The intervention queue, sorted by the deadline each open case is worked to."""

    list_display = [
        "case_number",
        "order_number",
        "shop_name",
        "amount",
        "state_label",
        "deadline_display",
        "agent",
    ]
    list_display_links = ["case_number"]
    list_filter = [QueueStateFilter, OverdueFilter, AssignedFilter]
    list_select_related = ["refund__order", "shop", "assigned_agent"]
    search_fields = ["=refund__order__number"]
    search_help_text = _("An order number, or a case number such as 42 or #42.")
    ordering = [QUEUE_DEADLINE.asc(), "pk"]
    actions = ["assign_to_me"]
    # Agents work the queue from the top, soonest deadline first: a screenful is enough.
    list_per_page = 25
    paginator = CappedCountPaginator
    show_full_result_count = False

    class Media:
        css = {"all": ["core/admin-console.css"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(queue_deadline=QUEUE_DEADLINE)

    def changelist_view(self, request, extra_context=None):
        extra_context = {"title": _("Intervention queue"), **(extra_context or {})}
        return super().changelist_view(request, extra_context)

    def get_search_results(self, request, queryset, search_term):
        case = search_term.strip().removeprefix("#")
        if case.isdigit() and len(case) <= 12:
            found = queryset.filter(Q(pk=int(case)) | Q(refund__order__number=search_term.strip()))
            return found, False
        return super().get_search_results(request, queryset, search_term)

    @admin.display(description=_("case"), ordering="pk")
    def case_number(self, obj):
        return f"#{obj.pk}"

    @admin.display(description=_("order"), ordering="refund__order__number")
    def order_number(self, obj):
        return obj.refund.order.number

    @admin.display(description=_("shop"), ordering="shop__name")
    def shop_name(self, obj):
        return obj.shop.name

    @admin.display(description=_("assigned agent"), ordering="assigned_agent__username")
    def agent(self, obj):
        return obj.assigned_agent.get_username() if obj.assigned_agent else "—"

    @admin.display(description=_("amount"))
    def amount(self, obj):
        return f"¥{obj.refund.amount}"

    @admin.display(description=_("state"), ordering="state")
    def state_label(self, obj):
        return obj.get_state_display()

    @admin.display(description=_("deadline"), ordering="queue_deadline")
    def deadline_display(self, obj):
        deadline = obj.deadline
        if deadline is None:
            return "—"
        shown = f"{timezone.localtime(deadline):%Y-%m-%d %H:%M}"
        if deadline < timezone.now():
            return format_html('<strong class="overdue">{} · {}</strong>', shown, _("overdue"))
        return shown

    def has_assign_permission(self, request):
        # Offered to platform agents; for each case, the assign service has the last word.
        return is_agent(request.user)

    @admin.action(description=_("Assign to me"), permissions=["assign"])
    def assign_to_me(self, request, queryset):
        assigned = 0
        for intervention in queryset:
            try:
                services.intervention_assign(
                    intervention=intervention, actor=request.user, agent=request.user
                )
            except DomainError as exc:
                self.message_user(request, f"#{intervention.pk}: {exc.message}", messages.ERROR)
            else:
                assigned += 1
        if assigned:
            self.message_user(
                request,
                ngettext(
                    "%(count)d case assigned to you.", "%(count)d cases assigned to you.", assigned
                )
                % {"count": assigned},
                messages.SUCCESS,
            )

    # --- the case page and the ruling form ---------------------------------------------------

    def get_urls(self):
        def view(func, name):
            return path(
                f"<path:object_id>/{name}/",
                self.admin_site.admin_view(func),
                name=f"disputes_intervention_{name}",
            )

        return [
            view(self.rule_view, "rule"),
            view(self.assign_view, "assign"),
            view(self.message_view, "message"),
            *super().get_urls(),
        ]

    def _case_or_404(self, request, object_id) -> Intervention:
        if not self.has_view_permission(request):
            raise PermissionDenied
        return get_object_or_404(
            Intervention.objects.select_related(
                "refund__order", "shop", "buyer", "assigned_agent", "ruling__appeal"
            ),
            pk=object_pk_or_404(object_id),
        )

    def _case_url(self, intervention) -> str:
        return reverse("admin:disputes_intervention_change", args=[intervention.pk])

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The case page: what happened, what each side says and shows, and what to do next."""
        if request.method not in ("GET", "HEAD"):
            raise PermissionDenied  # the page only shows: each write has its own view
        return self._case_page(request, self._case_or_404(request, object_id))

    def _case_page(self, request, intervention, *, message_form=None, status=200):
        refund = intervention.refund
        evidence = list(case_evidence(refund))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Case #%(pk)s") % {"pk": intervention.pk},
            "case": intervention,
            "refund": refund,
            "order": refund.order,
            "items": items_as_sold(refund.order_id),
            "ruling": getattr(intervention, "ruling", None),
            "overdue": intervention.deadline is not None and intervention.deadline < timezone.now(),
            "buyer_evidence": [e for e in evidence if e.party == Party.BUYER],
            "merchant_evidence": [e for e in evidence if e.party == Party.MERCHANT],
            "offers": list(refund_offers(refund)),
            "timeline": case_timeline(refund, with_actors=True),
            "history": buyer_history(intervention.buyer_id),
            "may_rule": may_rule(intervention, request.user),
            "return_address": default_return_address(intervention.shop_id),
            "may_assign": may_assign(intervention, request.user, request.user).allowed
            and intervention.assigned_agent_id != request.user.pk,
            "messages_on_case": list(refund_messages(refund).select_related("author")),
            "may_write": may_write_message(refund, request.user).allowed,
            "message_form": message_form or CaseMessageForm(),
        }
        return TemplateResponse(
            request, "admin/disputes/intervention/case.html", context, status=status
        )

    def message_view(self, request, object_id):
        """The agent's message (留言) to both parties; a refused one comes back on the case page
        with what was typed."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        intervention = self._case_or_404(request, object_id)
        form = CaseMessageForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.refund_message_write(
                    refund=intervention.refund,
                    actor=request.user,
                    text=form.cleaned_data["text"],
                    images=form.cleaned_data["image"],
                )
            except DomainError as exc:
                if not show_refusal(request, form, exc):
                    return HttpResponseRedirect(self._case_url(intervention))
            else:
                messages.success(request, _("Your message was sent to both parties."))
                return HttpResponseRedirect(self._case_url(intervention) + "#messages")
        return self._case_page(request, intervention, message_form=form, status=400)

    def assign_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        intervention = self._case_or_404(request, object_id)
        try:
            services.intervention_assign(
                intervention=intervention, actor=request.user, agent=request.user
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The case is assigned to you."))
        return HttpResponseRedirect(self._case_url(intervention))

    def rule_view(self, request, object_id):
        """The ruling form: the outcomes this case allows, prefilled from the facts."""
        intervention = self._case_or_404(request, object_id)
        verdict = may_rule(intervention, request.user)
        if not verdict:
            messages.error(request, verdict.reason)
            return HttpResponseRedirect(self._case_url(intervention))
        rules = get_rules()
        choices = ruling_choices(intervention.refund)
        cooperated = services.merchant_cooperated_default(intervention)
        offers = list(refund_offers(intervention.refund))
        form = RulingForm(
            request.POST or None,
            choices=choices,
            initial={
                "merchant_cooperated": cooperated,
                "penalty_points": rules.dispute_lost_points,
                # What the shop last offered is where a partial refund starts from.
                "refund_amount": offers[-1].amount if offers else None,
            },
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                ruling = services.intervention_rule(
                    intervention=intervention,
                    actor=request.user,
                    outcome=data["outcome"],
                    rationale=data["rationale"],
                    merchant_responsible=data["merchant_responsible"],
                    merchant_cooperated=data["merchant_cooperated"],
                    return_required=data["return_required"],
                    refund_amount=data["refund_amount"]
                    if data["outcome"] == RulingOutcome.BUYER_PARTIAL_REFUND
                    else None,
                    penalty_points=data["penalty_points"] if data["merchant_responsible"] else None,
                    agent_note=data["agent_note"],
                )
            except DomainError as exc:
                if exc.code == DisputeErrorCode.NO_RETURN_ADDRESS:
                    # The shop has nowhere to take the goods: shown on the tick box, with the
                    # ruling as typed, for the agent to rule without the return.
                    form.add_error("return_required", exc.message)
                elif not show_refusal(request, form, exc):
                    return HttpResponseRedirect(self._case_url(intervention))
            else:
                messages.success(
                    request,
                    _("Ruled: %(outcome)s.") % {"outcome": ruling.get_outcome_display()},
                )
                return HttpResponseRedirect(self._case_url(intervention))
        refund = intervention.refund
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Rule on case #%(pk)s") % {"pk": intervention.pk},
            "case": intervention,
            "refund": refund,
            "order": refund.order,
            "form": form,
            "partial_max": choices.partial_max,
            "offers": offers,
            "cooperated": cooperated,
            # Where a return this ruling orders would go (None: it cannot order one).
            "return_address": default_return_address(intervention.shop_id),
            "rules": rules,
        }
        return TemplateResponse(request, "admin/disputes/intervention/rule.html", context)


class MultipleImageInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class CaseImagesField(forms.FileField):
    """Photos in one input; the message service checks their number and content."""

    widget = MultipleImageInput(attrs={"accept": "image/jpeg,image/png,image/webp"})

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super().clean(upload, initial) for upload in files]


class CaseMessageForm(forms.Form):
    text = forms.CharField(
        label=pgettext_lazy("after-sales", "Message"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    image = CaseImagesField(label=_("Photos"), required=False)


class RulingForm(forms.Form):
    """Parses the agent's ruling; the ruling service decides whether it stands."""

    outcome = forms.ChoiceField(label=_("Outcome"), widget=forms.RadioSelect)
    refund_amount = MoneyField(label=_("Partial refund (¥)"), required=False)
    return_required = forms.BooleanField(label=_("The buyer returns the goods"), required=False)
    merchant_responsible = forms.BooleanField(
        label=_("The merchant is at fault (penalty points)"), required=False
    )
    merchant_cooperated = forms.BooleanField(
        label=_("The merchant cooperated (answered in time and gave evidence)"), required=False
    )
    penalty_points = forms.IntegerField(label=_("Penalty points for the lost dispute"))
    rationale = forms.CharField(
        label=_("Rationale (both parties read it)"), widget=forms.Textarea(attrs={"rows": 4})
    )
    agent_note = forms.CharField(
        label=_("Internal note (platform only)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        rules = get_rules()
        self.fields["outcome"].choices = [(o, RulingOutcome(o).label) for o in choices.outcomes]
        amount = self.fields["refund_amount"]
        amount.validators = [MinValueValidator(CENT)]
        if choices.partial_max is not None:
            amount.validators.append(MaxValueValidator(choices.partial_max))
            amount.widget.attrs.update({"min": CENT, "max": choices.partial_max, "step": CENT})
        points = self.fields["penalty_points"]
        points.validators = [
            MinValueValidator(rules.dispute_lost_points_min),
            MaxValueValidator(rules.dispute_lost_points_max),
        ]
        points.widget.attrs.update(
            {"min": rules.dispute_lost_points_min, "max": rules.dispute_lost_points_max}
        )
        self.fields["rationale"].max_length = rules.max_text_length
        self.fields["rationale"].widget.attrs["maxlength"] = rules.max_text_length

    def clean(self):
        data = super().clean()
        if (
            data.get("outcome") == RulingOutcome.BUYER_PARTIAL_REFUND
            and data.get("refund_amount") is None
            and "refund_amount" not in self.errors
        ):
            self.add_error("refund_amount", _("Enter the amount of the partial refund."))
        return data


@admin.register(Ruling)
class RulingAdmin(ReadOnlyAdmin):
    list_display = [
        "id",
        "intervention",
        "outcome",
        "refund_amount",
        "merchant_responsible",
        "penalty_points",
        "overturned_at",
    ]
    list_filter = ["outcome", "merchant_responsible"]


class AppealStatusFilter(NarrowedByDefaultFilter):
    """Appeals waiting for a decision unless the supervisor asks for the decided ones."""

    title = _("decision")
    parameter_name = "status"
    WAITING = DEFAULT = "waiting"

    def lookups(self, request, model_admin):
        return [
            (self.WAITING, _("Waiting")),
            *AppealDecision.choices,
            (self.ALL, _("All")),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == self.WAITING:
            return queryset.filter(decision="")
        if value in AppealDecision.values:
            return queryset.filter(decision=value)
        return queryset


class AppealDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=[
            (AppealDecision.UPHOLD, _("Uphold the ruling")),
            (AppealDecision.OVERTURN, _("Overturn: reverse the penalty, reimburse the shop")),
        ],
    )
    note = forms.CharField(
        label=_("Note (both parties read it)"), widget=forms.Textarea(attrs={"rows": 3})
    )


@admin.register(Appeal)
class AppealAdmin(ReadOnlyAdmin):
    """The supervisors' appeals queue, oldest first, and the decision page."""

    list_display = ["appeal_number", "case", "shop", "appellant", "created_at", "decision_label"]
    list_display_links = ["appeal_number"]
    list_filter = [AppealStatusFilter]
    list_select_related = ["ruling__intervention__shop", "appellant"]
    ordering = ["created_at", "pk"]
    paginator = CappedCountPaginator
    show_full_result_count = False

    @admin.display(description=_("appeal"), ordering="pk")
    def appeal_number(self, obj):
        return f"#{obj.pk}"

    @admin.display(description=_("case"))
    def case(self, obj):
        return f"#{obj.ruling.intervention_id}"

    @admin.display(description=_("decision"), ordering="decision")
    def decision_label(self, obj):
        return obj.get_decision_display() if obj.decision else _("Waiting")

    @admin.display(description=_("shop"))
    def shop(self, obj):
        return obj.ruling.intervention.shop

    def changelist_view(self, request, extra_context=None):
        extra_context = {"title": _("Appeals queue"), **(extra_context or {})}
        return super().changelist_view(request, extra_context)

    def get_urls(self):
        decide = path(
            "<path:object_id>/decide/",
            self.admin_site.admin_view(self.decide_view),
            name="disputes_appeal_decide",
        )
        return [decide, *super().get_urls()]

    def _appeal_or_404(self, request, object_id) -> Appeal:
        if not self.has_view_permission(request):
            raise PermissionDenied
        return get_object_or_404(
            Appeal.objects.select_related(
                "ruling__intervention__refund__order", "ruling__agent", "appellant", "decided_by"
            ),
            pk=object_pk_or_404(object_id),
        )

    def _render(self, request, appeal, form):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Appeal #%(pk)s") % {"pk": appeal.pk},
            "appeal": appeal,
            "ruling": appeal.ruling,
            "case": appeal.ruling.intervention,
            "evidence": Evidence.objects.filter(appeal=appeal).order_by("created_at", "id"),
            "form": form,
            "may_decide": may_decide_appeal(appeal, request.user),
        }
        return TemplateResponse(request, "admin/disputes/appeal/decide.html", context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method not in ("GET", "HEAD"):
            raise PermissionDenied  # the decision posts to decide_view
        appeal = self._appeal_or_404(request, object_id)
        return self._render(request, appeal, AppealDecisionForm())

    def decide_view(self, request, object_id):
        """Uphold or overturn, through the appeal service."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        appeal = self._appeal_or_404(request, object_id)
        url = reverse("admin:disputes_appeal_change", args=[appeal.pk])
        verdict = may_decide_appeal(appeal, request.user)
        if isinstance(verdict.error, RoleRefused):
            raise PermissionDenied(verdict.reason)
        if not verdict:  # decided meanwhile
            messages.error(request, verdict.reason)
            return HttpResponseRedirect(url)
        form = AppealDecisionForm(request.POST)
        if form.is_valid():
            try:
                appeal = services.appeal_decide(
                    appeal=appeal,
                    actor=request.user,
                    decision=form.cleaned_data["decision"],
                    note=form.cleaned_data["note"],
                )
            except DomainError as exc:
                if not show_refusal(request, form, exc):
                    return HttpResponseRedirect(url)
            else:
                messages.success(
                    request,
                    _("The appeal is decided: %(decision)s.")
                    % {"decision": appeal.get_decision_display()},
                )
                return HttpResponseRedirect(url)
        return self._render(request, appeal, form)


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyAdmin):
    list_display = ["id", "refund", "intervention", "party", "content_type", "size", "created_at"]
    list_filter = ["party"]


@admin.register(RefundOffer)
class RefundOfferAdmin(ReadOnlyAdmin):
    list_display = [
        "id",
        "refund",
        "amount",
        "asked_amount",
        "return_required",
        "outcome",
        "created_at",
    ]
    list_filter = ["outcome", "return_required"]
    search_fields = ["=refund__order__number"]


@admin.register(Message)
class MessageAdmin(ReadOnlyAdmin):
    """Messages as written: shown, never changed (the database refuses an edit too)."""

    list_display = ["id", "refund", "party", "author", "created_at"]
    list_filter = ["party"]
    list_select_related = ["author"]
    search_fields = ["=refund__order__number"]


@admin.register(MessageImage)
class MessageImageAdmin(ReadOnlyAdmin):
    list_display = ["id", "message", "content_type", "size"]
    list_select_related = ["message"]


@admin.register(RefundPayment)
class RefundPaymentAdmin(ReadOnlyAdmin):
    list_display = ["id", "refund", "order", "amount", "gateway_reference", "created_at"]


@admin.register(PlatformReimbursement)
class PlatformReimbursementAdmin(ReadOnlyAdmin):
    list_display = ["id", "ruling", "shop", "amount", "created_at"]
