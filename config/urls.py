from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.csp import CSP
from django.views.decorators.csp import csp_override
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from core.health import health
from disputes.api.files import evidence_file, message_image_file
from merchants.api.files import product_image
from orders.api.files import snapshot_image

api_v1 = [
    path("", include("core.api.urls")),
    path("", include("merchants.api.urls")),
    path("", include("orders.api.urls")),
    path("", include("disputes.api.urls")),
    path("", include("seller.api.urls")),
]

urlpatterns = [
    path("", include("buyer.urls")),
    path("", include("core.urls")),
    path("seller/", include("seller.urls")),
    path("", include("public.urls")),
    path(settings.ADMIN_URL, admin.site.urls),
    path("health/", health, name="health"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "api/docs/",
        # Swagger UI styles itself inline. Its start-up script is served as a file of its own
        # (`?script`, the split view), so that every script is one the CSP's 'self' allows.
        csp_override({**settings.SECURE_CSP, "style-src": [CSP.SELF, CSP.UNSAFE_INLINE]})(
            SpectacularSwaggerSplitView.as_view(url_name="api-schema")
        ),
        name="api-docs",
    ),
    # Stored files are never served from MEDIA_URL: only through these views, the private
    # ones access-checked (evidence, messages' images, the orders' snapshots), product
    # pictures to anyone.
    path("evidence/<int:pk>/", evidence_file, name="evidence-file"),
    path("message-images/<int:pk>/", message_image_file, name="message-image-file"),
    path("snapshot-images/<int:pk>/", snapshot_image, name="snapshot-image"),
    path("product-images/<str:name>", product_image, name="product-image"),
]

# Django's own error answers: JSON for /api/ paths, Django's pages elsewhere.
handler400 = "core.api.handlers.bad_request"
handler403 = "core.api.handlers.permission_denied"
handler404 = "core.api.handlers.page_not_found"
handler500 = "core.api.handlers.server_error"
