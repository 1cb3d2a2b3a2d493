"""Top-level URLs."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("ops.urls")),  # /healthz, /readyz
    path("", include("desk.urls")),
    path("accounts/", include("accounts.urls")),
    # allauth after ours: our login/logout win; allauth adds 2fa/, sessions/, password/reset/.
    path("accounts/", include("allauth.urls")),
    path("filings/", include("filings.urls")),
    path("pools/", include("assets.urls")),
    path("review/", include("reviews.urls")),
    path("notifications/", include("inbox.urls")),
    path("audit/", include("audit.urls")),
    path("register/", include("register.urls")),
    path("django-admin/", admin.site.urls),
    path("api/", include("api.urls")),
]

handler400 = "desk.views.error_400"
handler403 = "desk.views.error_403"
handler404 = "desk.views.error_404"
handler500 = "desk.views.error_500"
