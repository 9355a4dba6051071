from __future__ import annotations

from django.urls import path

from seller.api import views

urlpatterns = [
    path("merchant/dashboard/", views.MerchantDashboardView.as_view(), name="api-dashboard"),
]
