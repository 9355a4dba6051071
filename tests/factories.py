"""factory_boy factories. Objects in a given state are reached through the services, so that
every test sees the rows, deadlines and audit entries a real user would have made."""

from __future__ import annotations

from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from core.models import VerifiedEmail
from core.roles import AGENTS_GROUP, SUPERVISORS_GROUP
from merchants.models import Product, ReturnAddress, Shop, ShopStaff

User = get_user_model()


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.django.Password("pass-1234")

    @factory.post_generation
    def email_verified(self, create, extracted, **kwargs):
        """The address counts as proved (as the demo's), unless `email_verified=False`."""
        if create and self.email and extracted is not False:
            VerifiedEmail.objects.create(user=self, address=self.email)


class ReturnAddressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReturnAddress

    name = "Wang Li"
    phone = "13800138000"
    region = "Zhejiang Hangzhou Yuhang"
    address = "8 Cangqian Street, returns depot"
    is_default = True


class ShopFactory(factory.django.DjangoModelFactory):
    """A shop with a default return address, as a working shop has (it could not approve a
    return without one); `ShopFactory(return_address=None)` for a shop that has none."""

    class Meta:
        model = Shop
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Shop {n}")
    return_address = factory.RelatedFactory(ReturnAddressFactory, factory_related_name="shop")


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    shop = factory.SubFactory(ShopFactory)
    title = factory.Sequence(lambda n: f"Product {n}")
    price = Decimal("100.00")


def make_merchant(shop: Shop | None = None, **kwargs):
    user = UserFactory(**kwargs)
    ShopStaff.objects.create(user=user, shop=shop or ShopFactory(), is_owner=shop is None)
    return user


def make_agent(**kwargs):
    user = UserFactory(is_staff=True, **kwargs)
    user.groups.add(Group.objects.get_or_create(name=AGENTS_GROUP)[0])
    return user


def make_supervisor(**kwargs):
    user = UserFactory(is_staff=True, **kwargs)
    user.groups.add(Group.objects.get_or_create(name=SUPERVISORS_GROUP)[0])
    return user
