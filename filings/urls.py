"""URLs of the issuer's filing screens (regulator screens live in reviews)."""

from django.urls import path

from . import settings_views, views

app_name = "filings"

urlpatterns = [
    path("", views.filing_list, name="list"),
    path("new/", views.filing_create, name="create"),
    path("rules/", views.rule_catalogue, name="rule_catalogue"),
    path(
        "settings/checklist/", settings_views.setting_list, {"kind": "checklist"}, name="settings_checklist"
    ),
    path("settings/<str:kind>/", settings_views.setting_list, name="settings"),
    path("settings/<str:kind>/new/", settings_views.setting_edit, name="setting_create"),
    path("settings/<str:kind>/<int:pk>/", settings_views.setting_edit, name="setting_edit"),
    path("<str:reference>/", views.filing_detail, name="detail"),
    path("<str:reference>/section/<str:section>/", views.section_edit, name="section"),
    path("<str:reference>/attestations/", views.attestations, name="attestations"),
    path("<str:reference>/documents/", views.documents, name="documents"),
    path("<str:reference>/documents/<int:pk>/download/", views.document_download, name="document_download"),
    path("<str:reference>/preflight/", views.preflight, name="preflight"),
    path("<str:reference>/history/", views.history, name="history"),
    path("<str:reference>/snapshots/compare/", views.snapshot_compare, name="snapshot_compare"),
    path("<str:reference>/snapshots/<int:version>/", views.snapshot_detail, name="snapshot"),
    path("<str:reference>/reports/", views.post_filing_reports, name="reports"),
    path("<str:reference>/do/<str:name>/", views.transition, name="transition"),
]
