from __future__ import annotations

from django.urls import path

from public import views

urlpatterns = [
    path("shops/<int:pk>/", views.shop_detail, name="shop-detail"),
    path("rules/", views.rules, name="rules"),
]
