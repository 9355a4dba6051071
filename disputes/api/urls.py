from __future__ import annotations

from rest_framework.routers import SimpleRouter

from disputes.api import views

router = SimpleRouter(use_regex_path=False)  # path converters: ids are <int:pk>
router.register("refunds", views.RefundViewSet, basename="api-refund")
router.register(
    "refunds/<int:refund_pk>/offers", views.RefundOfferViewSet, basename="api-refund-offer"
)
router.register("interventions", views.InterventionViewSet, basename="api-intervention")
router.register("rulings", views.RulingViewSet, basename="api-ruling")
router.register("appeals", views.AppealViewSet, basename="api-appeal")
urlpatterns = router.urls
