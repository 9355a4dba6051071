from __future__ import annotations

from django.urls import path

from penalties.api import views

urlpatterns = [
    path("merchant/dashboard/", views.MerchantDashboardView.as_view(), name="api-dashboard"),
]
