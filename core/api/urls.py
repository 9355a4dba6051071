from __future__ import annotations

from django.urls import path

from core.api import views

urlpatterns = [
    path("auth/register/", views.RegisterView.as_view(), name="api-register"),
    path("auth/token/", views.TokenView.as_view(), name="api-token"),
    path("notifications/", views.NotificationListView.as_view(), name="api-notifications"),
]
