from django.apps import AppConfig


class SellerConfig(AppConfig):
    """The seller center (商家后台): the after-sales desk, request pages, orders to ship,
    products, appeals and the penalty dashboard, page and API. No models: the pages read
    through the domain apps' selectors and write through their services."""

    name = "seller"
    verbose_name = "Seller center"
