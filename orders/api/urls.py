from __future__ import annotations

from rest_framework.routers import SimpleRouter

from orders.api.views import OrderViewSet

router = SimpleRouter(use_regex_path=False)  # path converters: ids are <int:pk>
router.register("orders", OrderViewSet, basename="api-order")
urlpatterns = router.urls
