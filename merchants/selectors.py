"""Reads for shops, staff and the catalogue."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from core.models import ActorRole
from merchants.models import Product, ProductImage, ReturnAddress, Shop, ShopStaff


def shop_of(user) -> Shop | None:
    """The shop the user works for, or None: one query, remembered on the user object."""
    if not user.is_authenticated:
        return None
    membership = get_user_model().shop_membership
    if not membership.is_cached(user):
        membership.related.set_cached_value(
            user, ShopStaff.objects.select_related("shop").filter(user=user).first()
        )
    staff = getattr(user, "shop_membership", None)
    return staff.shop if staff else None


def shop_id_of(user) -> int | None:
    if not user.is_authenticated:
        return None
    # Asked by every policy check, many times for one list: the user's class (through a lazy
    # request.user too), not the app registry's lookup of it.
    if user.__class__.shop_membership.is_cached(user):
        staff = getattr(user, "shop_membership", None)
        return staff.shop_id if staff else None
    cached = getattr(user, "_shop_id", False)
    if cached is False:
        cached = ShopStaff.objects.filter(user=user).values_list("shop_id", flat=True).first()
        user._shop_id = cached
    return cached


def is_staff_of(user, shop_id: int) -> bool:
    return shop_id is not None and shop_id_of(user) == shop_id


def party_role(user, *, buyer_id: int | None, shop_id: int | None) -> str | None:
    """The side `user` is on in a row between this buyer and this shop (an order, a refund,
    a case): the buyer, the shop's staff, or neither (None)."""
    if user.is_authenticated and buyer_id is not None and user.pk == buyer_id:
        return ActorRole.BUYER
    if is_staff_of(user, shop_id):
        return ActorRole.MERCHANT
    return None


@dataclass(frozen=True)
class Listing:
    """A product's listing as one revision of it: the row and its images' files, in order."""

    product: Product
    images: list[tuple[ProductImage, bytes]]


def product_listing(product_id: int) -> Listing:
    """The product as a buyer sees it now, its images' content read, all of one revision (what
    an order's snapshot copies).

    Read without a lock first: every change of the listing locks the product and counts a
    revision, so when the revision is the same after the images were read, they are that
    revision's. Otherwise (the shop was editing just then) it is read again with the product
    locked, which waits for the edit to finish."""
    listing = _read_listing(product_id, lock=False)
    if listing is not None and (
        Product.objects.filter(pk=product_id, revision=listing.product.revision).exists()
    ):
        return listing
    return _read_listing(product_id, lock=True)


def _read_listing(product_id: int, *, lock: bool) -> Listing | None:
    products = Product.objects.select_related("shop")
    if lock:
        products = products.select_for_update(of=("self",))
    product = products.get(pk=product_id)
    try:
        images = [(image, _content(image)) for image in product.images.order_by("position")]
    except FileNotFoundError:  # removed while read (unlocked): its removal counted a revision
        if lock:
            raise
        return None
    return Listing(product, images)


def _content(image: ProductImage) -> bytes:
    with image.image.open("rb") as file:
        return file.read()


def catalogue(now=None) -> QuerySet[Product]:
    """Published products of unrestricted shops, best-ranked shops first (natural ranking)."""
    now = now or timezone.now()
    return (
        Product.objects.filter(is_published=True)
        .filter(Q(shop__restricted_until__isnull=True) | Q(shop__restricted_until__lte=now))
        .select_related("shop")
        .order_by("-shop__ranking_score", "-created_at", "-id")
    )


def with_images(products: QuerySet[Product]) -> QuerySet[Product]:
    """The products with their images in order (`images.all()`, the first the cover), in one
    query for them all."""
    return products.prefetch_related(Prefetch("images", ProductImage.objects.order_by("position")))


def catalogue_with_images(now=None) -> QuerySet[Product]:
    return with_images(catalogue(now))


def product_shown(pk: int) -> Product | None:
    """A published product by id, whether or not its shop is restricted: its page is reachable
    from links and bookmarks, and shows the shop's public warning instead of the buy button while
    the catalogue hides it."""
    return with_images(
        Product.objects.filter(pk=pk, is_published=True).select_related("shop")
    ).first()


def catalogue_search(query: str = "", now=None) -> QuerySet[Product]:
    """The catalogue, narrowed to titles or shop names containing `query` (ranking kept)."""
    products = catalogue(now)
    query = (query or "").strip()
    if query:
        products = products.filter(Q(title__icontains=query) | Q(shop__name__icontains=query))
    return products


class CatalogueListing:
    """The catalogue (or a search of it) as the paginators read it: `count()` and slices.

    Sorting every published product by its shop's ranking is the costly part at marketplace
    scale, so the size and each page's product ids are cached for `CATALOGUE_CACHE_SECONDS`.
    The rows themselves are read fresh through the catalogue's filter: a product unpublished,
    or a shop restricted, since the ids were cached is never shown (the page shows fewer for
    that while). What may lag by the cache time is a new product, the order and the count.
    """

    model = Product  # what the API schema reads the listing's items as

    def __init__(self, query: str = "", now=None):
        self.query = (query or "").strip()
        self.now = now or timezone.now()
        self.seconds = getattr(settings, "CATALOGUE_CACHE_SECONDS", 0)

    def _cached(self, part: str, compute):
        if not self.seconds:
            return compute()
        digest = hashlib.sha256(self.query.encode()).hexdigest()[:32]
        return cache.get_or_set(f"catalogue:{digest}:{part}", compute, self.seconds)

    def count(self) -> int:
        return self._cached("count", lambda: catalogue_search(self.query, self.now).count())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[Product]:
        if not isinstance(index, slice):
            raise TypeError("A catalogue listing is read by pages (slices).")
        ids = self._cached(
            f"{index.start}:{index.stop}",
            lambda: list(
                catalogue_search(self.query, self.now).values_list("pk", flat=True)[index]
            ),
        )
        rows = catalogue_with_images(self.now).in_bulk(ids)
        return [rows[pk] for pk in ids if pk in rows]


def return_addresses_of(shop_id: int) -> QuerySet[ReturnAddress]:
    """The shop's return addresses, the default first, then the newest."""
    return ReturnAddress.objects.filter(shop_id=shop_id)


def default_return_address(shop_id: int) -> ReturnAddress | None:
    """Where the shop's returns go now, or None when it has no return address."""
    return ReturnAddress.objects.filter(shop_id=shop_id, is_default=True).first()
