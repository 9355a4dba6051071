"""The product's URLs plus the two baselines (never part of the product's own URLconf)."""

from django.urls import path

from benchmarks.views import BareAPIView, bare_page, layout_page
from config.urls import urlpatterns as product_urlpatterns

urlpatterns = [
    path("bench/bare/", bare_page, name="bench-bare-page"),
    path("bench/bare-api/", BareAPIView.as_view(), name="bench-bare-api"),
    path("bench/layout/", layout_page, name="bench-layout-page"),
    *product_urlpatterns,
]
