from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from core.images import generated_name

MONEY = {"max_digits": 12, "decimal_places": 2}
MAX_PRODUCT_IMAGES = 5
PRODUCT_DESCRIPTION_LENGTH = 2000
PRODUCT_SPECIFICATION_LENGTH = 500


class SellerLevel(models.TextChoices):
    EXCELLENT = "excellent", _("Excellent")
    STANDARD = "standard", _("Standard")
    BELOW_STANDARD = "below_standard", _("Below standard")


class Shop(models.Model):
    """A shop and its public credit. The credit fields are kept by penalties.services."""

    name = models.CharField(max_length=100, unique=True, verbose_name=_("name"))
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))
    # Public credit (SPEC §6), rebuilt from the records by `recompute_credit`.
    dispute_cases = models.PositiveIntegerField(default=0, verbose_name=_("dispute cases"))
    ranking_score = models.DecimalField(
        max_digits=6, decimal_places=2, default=Decimal("100.00"), verbose_name=_("ranking score")
    )
    seller_level = models.CharField(
        max_length=16,
        choices=SellerLevel.choices,
        default=SellerLevel.EXCELLENT,
        verbose_name=_("seller level"),
    )
    # The end of the restriction in force, if any; the catalogue hides the shop until then.
    restricted_until = models.DateTimeField(
        null=True, blank=True, db_index=True, verbose_name=_("restricted until")
    )

    class Meta:
        verbose_name = _("shop")
        verbose_name_plural = _("shops")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ranking_score__gte=0) & models.Q(ranking_score__lte=100),
                name="shop_ranking_score_0_100",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def is_restricted(self, now=None) -> bool:
        now = now or timezone.now()
        return self.restricted_until is not None and self.restricted_until > now


class ShopStaff(models.Model):
    """A user works for at most one shop; a shop may have several staff."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="shop_membership",
        verbose_name=_("user"),
    )
    shop = models.ForeignKey(
        Shop, on_delete=models.CASCADE, related_name="staff", verbose_name=_("shop")
    )
    is_owner = models.BooleanField(default=False, verbose_name=_("is owner"))
    joined_at = models.DateTimeField(default=timezone.now, verbose_name=_("joined at"))

    class Meta:
        verbose_name = _("shop staff member")
        verbose_name_plural = _("shop staff")

    def __str__(self) -> str:
        return f"{self.user} @ {self.shop}"


class Product(models.Model):
    shop = models.ForeignKey(
        Shop, on_delete=models.PROTECT, related_name="products", verbose_name=_("shop")
    )
    title = models.CharField(max_length=200, verbose_name=_("title"))
    price = models.DecimalField(**MONEY, verbose_name=_("price"))
    description = models.TextField(
        blank=True,
        max_length=PRODUCT_DESCRIPTION_LENGTH,
        verbose_name=pgettext_lazy("product", "description"),
    )
    specification = models.CharField(
        max_length=PRODUCT_SPECIFICATION_LENGTH,
        blank=True,
        verbose_name=_("specification"),
        help_text=_("For example: colour: black; size: L"),
    )
    is_published = models.BooleanField(default=True, verbose_name=_("is published"))
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))
    # Counts the changes of what a buyer sees (title, price, description, specification,
    # images); an order item keeps the revision it was sold at, so a page can tell that the
    # listing changed since (商品信息已更新).
    revision = models.PositiveIntegerField(default=1, verbose_name=_("revision"))

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        constraints = [
            models.CheckConstraint(condition=models.Q(price__gt=0), name="product_price_positive"),
        ]

    def __str__(self) -> str:
        return self.title


def product_image_upload_to(image: ProductImage, filename: str) -> str:
    return generated_name("products", image.content_type)


class ProductImage(models.Model):
    """One of a product's pictures (at most MAX_PRODUCT_IMAGES), the first one its cover.

    Public: served to anyone by the `product-image` view, by the file's generated name. A
    row's file never changes in place (reordering exchanges the rows' files), so a URL always
    shows the same picture and may be cached for good."""

    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="images", verbose_name=_("product")
    )
    position = models.PositiveSmallIntegerField(verbose_name=_("position"))
    image = models.ImageField(
        upload_to=product_image_upload_to, unique=True, verbose_name=_("image")
    )
    content_type = models.CharField(max_length=20, verbose_name=_("content type"))
    size = models.PositiveIntegerField(verbose_name=_("size"))

    class Meta:
        verbose_name = _("product image")
        verbose_name_plural = _("product images")
        ordering = ["product", "position"]
        constraints = [
            # Positions 0 … MAX-1, each at most once: the database holds the limit too.
            models.UniqueConstraint(
                fields=["product", "position"], name="product_image_position_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(position__lt=MAX_PRODUCT_IMAGES),
                name="product_image_position_within_limit",
            ),
        ]

    def __str__(self) -> str:
        return gettext("Image %(n)s of product #%(product)s") % {
            "n": self.position + 1,
            "product": self.product_id,
        }

    @property
    def served_name(self) -> str:
        """The stored file's name without its folder: the `product-image` URL's argument."""
        return self.image.name.rsplit("/", 1)[-1]


class ReturnAddress(models.Model):
    """Where a shop takes returned goods (退货地址). A request that enters 待买家退货 copies the
    shop's default address (disputes.services.returns), so later edits never move a parcel
    already on its way."""

    shop = models.ForeignKey(
        Shop, on_delete=models.CASCADE, related_name="return_addresses", verbose_name=_("shop")
    )
    name = models.CharField(max_length=50, verbose_name=_("recipient"))
    phone = models.CharField(max_length=20, verbose_name=_("phone"))
    # 省市区 as one line ("浙江省 杭州市 余杭区"): the courier reads it, no code needs its parts.
    region = models.CharField(max_length=100, verbose_name=_("region"))
    address = models.CharField(max_length=200, verbose_name=_("street address"))
    is_default = models.BooleanField(default=False, verbose_name=_("default"))
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("return address")
        verbose_name_plural = _("return addresses")
        ordering = ["-is_default", "-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["shop"],
                condition=models.Q(is_default=True),
                name="one_default_return_address_per_shop",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.region} {self.address}"
