from __future__ import annotations

from django.urls import path

from merchants.api import views

urlpatterns = [
    path("shops/", views.ShopCreateView.as_view(), name="api-shop-create"),
    path("shops/<int:pk>/", views.ShopDetailView.as_view(), name="api-shop-detail"),
    path(
        "shops/<int:pk>/products/",
        views.ShopProductCreateView.as_view(),
        name="api-shop-products",
    ),
    path(
        "shops/<int:pk>/return-addresses/",
        views.ShopReturnAddressesView.as_view(),
        name="api-shop-return-addresses",
    ),
    path(
        "shops/<int:pk>/return-addresses/<int:address_id>/",
        views.ShopReturnAddressView.as_view(),
        name="api-shop-return-address",
    ),
    path("products/", views.CatalogueView.as_view(), name="api-products"),
]
