from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from core.fsm import refusal
from core.images import generated_name
from core.vocabulary import declare_actions
from merchants.models import (
    MAX_PRODUCT_IMAGES,
    MONEY,
    PRODUCT_DESCRIPTION_LENGTH,
    PRODUCT_SPECIFICATION_LENGTH,
    Product,
    Shop,
)
from merchants.selectors import is_staff_of, party_role
from orders.errors import OrderErrorCode


class OrderState(models.TextChoices):
    PENDING_PAYMENT = "pending_payment", _("Awaiting payment")
    PAID = "paid", _("To be shipped")
    SHIPPED = "shipped", _("Shipped")
    DELIVERED = "delivered", _("Delivered")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", pgettext_lazy("order", "Cancelled")
    REFUNDED = "refunded", _("Refunded in full")


S = OrderState
PAID_STATES = [S.PAID, S.SHIPPED, S.DELIVERED, S.COMPLETED]


def is_buyer(order: Order, user) -> bool:
    return user.is_authenticated and order.buyer_id == user.pk


def is_merchant(order: Order, user) -> bool:
    return is_staff_of(user, order.shop_id)


def system_only(order: Order, user) -> bool:
    return False


@refusal(OrderErrorCode.NOT_FULLY_REFUNDED)
def is_fully_refunded(order: Order) -> bool:
    return order.refunded_amount >= order.total


# What the services audit on an order outside its transitions (core.vocabulary).
declare_actions(place=_("Order placed"))


class Order(FSMModelMixin, models.Model):
    number = models.CharField(max_length=20, unique=True, verbose_name=_("number"))
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="orders",
        verbose_name=_("buyer"),
    )
    shop = models.ForeignKey(
        Shop, on_delete=models.PROTECT, related_name="orders", verbose_name=_("shop")
    )
    state = FSMField(
        default=S.PENDING_PAYMENT,
        choices=S.choices,
        protected=True,
        db_index=True,
        verbose_name=_("state"),
    )
    total = models.DecimalField(**MONEY, verbose_name=_("total"))
    refunded_amount = models.DecimalField(
        **MONEY, default=Decimal("0.00"), verbose_name=_("refunded amount")
    )
    tracking_number = models.CharField(max_length=64, blank=True, verbose_name=_("tracking number"))
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))
    paid_at = models.DateTimeField(null=True, blank=True, verbose_name=_("paid at"))
    shipped_at = models.DateTimeField(null=True, blank=True, verbose_name=_("shipped at"))
    delivered_at = models.DateTimeField(null=True, blank=True, verbose_name=_("delivered at"))
    completed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("completed at"))
    closed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("closed at"))
    # Deadline for the system to confirm receipt for the buyer, stored when delivered.
    auto_confirm_at = models.DateTimeField(null=True, blank=True, verbose_name=_("auto confirm at"))

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["state", "auto_confirm_at"]),
            models.Index(fields=["buyer", "-created_at"]),
            models.Index(fields=["shop", "-created_at"]),
            # The merchant dashboard's paid orders over 30 and 90 days, read from the index.
            models.Index(fields=["shop", "paid_at"], name="order_paid_by_shop"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(total__gt=0), name="order_total_positive"),
            models.CheckConstraint(
                condition=models.Q(refunded_amount__gte=0)
                & models.Q(refunded_amount__lte=models.F("total")),
                name="order_refunds_within_total",
            ),
        ]

    def __str__(self) -> str:
        return gettext("Order %(number)s") % {"number": self.number}

    def party_role_of(self, user) -> str | None:
        """The side `user` is on here (the audit trail's role): buyer, merchant or None."""
        return party_role(user, buyer_id=self.buyer_id, shop_id=self.shop_id)

    @property
    def refundable_amount(self) -> Decimal:
        return self.total - self.refunded_amount

    @transition(
        field=state,
        source=S.PENDING_PAYMENT,
        target=S.PAID,
        permission=is_buyer,
        custom={"label": _("Paid"), "update_fields": ["paid_at"]},
    )
    def pay(self, *, now):
        self.paid_at = now

    @transition(
        field=state,
        source=S.PENDING_PAYMENT,
        target=S.CANCELLED,
        permission=is_buyer,
        custom={"label": _("Cancelled by the buyer"), "update_fields": ["closed_at"]},
    )
    def cancel(self, *, now):
        self.closed_at = now

    @transition(
        field=state,
        source=S.PAID,
        target=S.SHIPPED,
        permission=is_merchant,
        custom={
            "label": _("Shipped by the shop"),
            "update_fields": ["shipped_at", "tracking_number"],
        },
    )
    def ship(self, *, now, tracking_number: str):
        self.shipped_at = now
        self.tracking_number = tracking_number

    @transition(
        field=state,
        source=S.SHIPPED,
        target=S.DELIVERED,
        permission=is_merchant,
        custom={"label": _("Delivered"), "update_fields": ["delivered_at", "auto_confirm_at"]},
    )
    def deliver(self, *, now, auto_confirm_at):
        self.delivered_at = now
        self.auto_confirm_at = auto_confirm_at

    @transition(
        field=state,
        source=[S.SHIPPED, S.DELIVERED],
        target=S.COMPLETED,
        permission=is_buyer,
        custom={
            "label": _("Receipt confirmed"),
            "update_fields": ["completed_at", "auto_confirm_at"],
        },
    )
    def confirm_receipt(self, *, now):
        self.completed_at = now
        self.auto_confirm_at = None

    @transition(
        field=state,
        source=S.DELIVERED,
        target=S.COMPLETED,
        permission=system_only,
        custom={
            "label": _("Receipt confirmed automatically"),
            "update_fields": ["completed_at", "auto_confirm_at"],
        },
    )
    def auto_confirm(self, *, now):
        self.completed_at = now
        self.auto_confirm_at = None

    @transition(
        field=state,
        source=PAID_STATES,
        target=S.REFUNDED,
        conditions=[is_fully_refunded],
        permission=system_only,
        custom={
            "label": _("Order refunded in full"),
            "update_fields": ["closed_at", "auto_confirm_at"],
        },
    )
    def mark_refunded(self, *, now):
        self.closed_at = now
        self.auto_confirm_at = None


class OrderItem(models.Model):
    """A line of an order and its trade snapshot (交易快照): the listing as the buyer bought it
    — title, unit price, description, specification and copies of the images (`images`) —
    written once when the order is placed and never changed, whatever the shop edits later."""

    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="items", verbose_name=_("order")
    )
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, related_name="+", verbose_name=_("product")
    )
    title = models.CharField(
        max_length=200, verbose_name=_("title")
    )  # as sold, even if the product is renamed later
    quantity = models.PositiveIntegerField(verbose_name=_("quantity"))
    unit_price = models.DecimalField(**MONEY, verbose_name=_("unit price"))  # copied at purchase
    description = models.TextField(
        blank=True,
        max_length=PRODUCT_DESCRIPTION_LENGTH,
        verbose_name=pgettext_lazy("product", "description"),
    )
    specification = models.CharField(
        max_length=PRODUCT_SPECIFICATION_LENGTH, blank=True, verbose_name=_("specification")
    )
    # The product's revision when sold; None for an item sold before snapshots were kept
    # (its title and price are as sold, nothing else is known).
    listing_revision = models.PositiveIntegerField(
        null=True, blank=True, verbose_name=_("listing revision")
    )

    class Meta:
        verbose_name = _("order item")
        verbose_name_plural = _("order items")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gt=0), name="item_quantity_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(unit_price__gt=0), name="item_price_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.title}"

    @property
    def line_total(self) -> Decimal:
        return self.unit_price * self.quantity

    @property
    def has_snapshot(self) -> bool:
        return self.listing_revision is not None

    @property
    def listing_changed(self) -> bool:
        """Whether the shop has edited the listing since the sale (reads `product.revision`:
        fetch the product with the item)."""
        return self.has_snapshot and self.product.revision != self.listing_revision


def item_image_upload_to(image: OrderItemImage, filename: str) -> str:
    return generated_name("snapshots", image.content_type)


class OrderItemImage(models.Model):
    """A copy of one of the product's images, taken when the item was sold: the shop deleting
    or replacing its picture leaves this one as it was. Private to the order's buyer, the shop
    and platform staff (served by the `snapshot-image` view)."""

    item = models.ForeignKey(
        OrderItem, on_delete=models.CASCADE, related_name="images", verbose_name=_("order item")
    )
    position = models.PositiveSmallIntegerField(verbose_name=_("position"))
    image = models.ImageField(upload_to=item_image_upload_to, verbose_name=_("image"))
    content_type = models.CharField(max_length=20, verbose_name=_("content type"))
    size = models.PositiveIntegerField(verbose_name=_("size"))

    class Meta:
        verbose_name = _("snapshot image")
        verbose_name_plural = _("snapshot images")
        ordering = ["item", "position"]
        constraints = [
            models.UniqueConstraint(fields=["item", "position"], name="item_image_position_unique"),
            models.CheckConstraint(
                condition=models.Q(position__lt=MAX_PRODUCT_IMAGES),
                name="item_image_position_within_limit",
            ),
        ]

    def __str__(self) -> str:
        return gettext("Snapshot image %(n)s of order item #%(item)s") % {
            "n": self.position + 1,
            "item": self.item_id,
        }
