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
    path("products/", views.CatalogueView.as_view(), name="api-products"),
]
