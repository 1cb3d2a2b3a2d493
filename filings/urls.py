"""URLs of the issuer's filing screens (regulator screens live in reviews)."""

from django.urls import path

from . import delegation_views, document_views, lifecycle_views, pool_views, settings_views, views

app_name = "filings"

urlpatterns = [
    path("", views.filing_list, name="list"),
    path("new/", views.filing_create, name="create"),
    path("rules/", views.rule_catalogue, name="rule_catalogue"),
    path(
        "settings/checklist/", settings_views.setting_list, {"kind": "checklist"}, name="settings_checklist"
    ),
    path("settings/calendar/year/", settings_views.calendar_year, name="calendar_year"),
    path("settings/time-limits/", settings_views.time_limits, name="time_limits"),
    path("settings/<str:kind>/", settings_views.setting_list, name="settings"),
    path("settings/<str:kind>/new/", settings_views.setting_edit, name="setting_create"),
    path("settings/<str:kind>/<int:pk>/", settings_views.setting_edit, name="setting_edit"),
    path("<str:reference>/", views.filing_detail, name="detail"),
    path("<str:reference>/section/<str:section>/", views.section_edit, name="section"),
    path("<str:reference>/attestations/", views.attestations, name="attestations"),
    path("<str:reference>/documents/", document_views.documents, name="documents"),
    path("<str:reference>/documents/upload/", document_views.document_upload, name="document_upload"),
    path("<str:reference>/delegations/", delegation_views.delegation_list, name="delegations"),
    path("<str:reference>/delegations/invite/", delegation_views.delegation_invite, name="delegation_invite"),
    path(
        "<str:reference>/delegations/<int:pk>/revoke/",
        delegation_views.delegation_revoke,
        name="delegation_revoke",
    ),
    path(
        "<str:reference>/documents/<int:pk>/download/",
        document_views.document_download,
        name="document_download",
    ),
    path("<str:reference>/preflight/", views.preflight, name="preflight"),
    path("<str:reference>/preflight/csv/", views.preflight_csv, name="preflight_csv"),
    path("<str:reference>/preflight/runs/<int:pk>/status/", views.preflight_status, name="preflight_status"),
    path("<str:reference>/preflight/waiver/", views.waiver_request, name="waiver_request"),
    path("<str:reference>/history/", views.history, name="history"),
    path("<str:reference>/snapshots/compare/", views.snapshot_compare, name="snapshot_compare"),
    path("<str:reference>/snapshots/<int:version>/", views.snapshot_detail, name="snapshot"),
    path("<str:reference>/reports/", views.post_filing_reports, name="reports"),
    path(
        "<str:reference>/reports/<int:pk>/acknowledge/", views.report_acknowledge, name="report_acknowledge"
    ),
    path("<str:reference>/reports/<int:pk>/document/", views.report_document, name="report_document"),
    path(
        "<str:reference>/reports/<int:pk>/send-update/", views.report_send_update, name="report_send_update"
    ),
    path("<str:reference>/pauses/", lifecycle_views.pauses, name="pauses"),
    path("<str:reference>/consultations/", lifecycle_views.consultations, name="consultations"),
    path("<str:reference>/do/<str:name>/", views.transition, name="transition"),
    path("<str:reference>/dossier/", views.dossier_page, name="dossier"),
    path("<str:reference>/dossier/request/", views.dossier_request, name="dossier_request"),
    path("<str:reference>/dossier/card/", views.dossier_card, name="dossier_card"),
    path("<str:reference>/dossier/<int:pk>/status/", views.dossier_status, name="dossier_status"),
    path("<str:reference>/dossier/<int:pk>/download/", views.dossier_download, name="dossier_download"),
    path("<str:reference>/pool/", pool_views.pool_detail, name="pool"),
    path("<str:reference>/pool/guide/", pool_views.pool_guide, name="pool_guide"),
    path(
        "<str:reference>/pool/template/<slug:kind>.<slug:fmt>", pool_views.pool_template, name="pool_template"
    ),
    path("<str:reference>/pool/upload/", pool_views.pool_upload, name="pool_upload"),
    path("<str:reference>/pool/uploads/<int:pk>/mapping/", pool_views.pool_mapping, name="pool_mapping"),
    path(
        "<str:reference>/pool/uploads/<int:pk>/mapping/check/",
        pool_views.pool_mapping_check,
        name="pool_mapping_check",
    ),
    path("<str:reference>/pool/imports/<int:pk>/", pool_views.pool_import, name="pool_import"),
    path(
        "<str:reference>/pool/imports/<int:pk>/status/",
        pool_views.pool_import_status,
        name="pool_import_status",
    ),
    path(
        "<str:reference>/pool/imports/<int:pk>/errors.<slug:fmt>",
        pool_views.pool_import_errors,
        name="pool_import_errors",
    ),
    path("<str:reference>/pool/imports/<int:pk>/file/", pool_views.pool_tape_file, name="pool_tape_file"),
    path("<str:reference>/pool/assets/", pool_views.pool_assets, name="pool_assets"),
    path("<str:reference>/pool/recompute/", pool_views.pool_recompute, name="pool_recompute"),
]
