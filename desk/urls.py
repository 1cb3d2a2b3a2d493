"""URLs of the dashboard and the preparer's hand-off to the signatories."""

from django.urls import path

from . import views

app_name = "desk"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path(
        "filings/<str:reference>/ready-for-signature/", views.ready_for_signature, name="ready_for_signature"
    ),
]
