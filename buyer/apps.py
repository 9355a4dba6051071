from django.apps import AppConfig


class BuyerConfig(AppConfig):
    """The buyer's pages (home → 个人中心 → 我的订单 → 售后详情 → 申请平台介入). No models: the pages
    read through the domain apps' selectors and write through their services."""

    name = "buyer"
    verbose_name = "Buyer pages"
