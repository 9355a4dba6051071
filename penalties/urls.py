from __future__ import annotations

from django.urls import path

from penalties import views

urlpatterns = [
    path("seller/dashboard/", views.dashboard, name="penalty-dashboard"),
    path("rules/", views.rules, name="rules"),
]
