"""The token pages (/api/tokens/) and the versioned API (/api/v1/) with its schema and offline docs."""

from csp.decorators import csp_update
from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from .views import documents, filings, profile, reviews, sections, tapes, webhooks
from .views.base import NotFoundView

app_name = "api"

# Swagger UI and Redoc are served from our static files (the sidecar package), never a CDN; they
# style themselves inline and Redoc runs a blob: worker, which the site-wide policy forbids.
DOCS_CSP = csp_update({"style-src": ["'unsafe-inline'"], "worker-src": ["blob:"]})
swagger = SpectacularSwaggerSplitView.as_view(
    url_name="api:schema", authentication_classes=[], permission_classes=[]
)
redoc = SpectacularRedocView.as_view(
    url_name="api:schema", template_name="api/redoc.html", authentication_classes=[], permission_classes=[]
)

F = "v1/filings/<str:reference>/"

urlpatterns = [
    path("tokens/", profile.token_list, name="tokens"),
    path("tokens/all/", profile.token_admin_list, name="tokens_all"),
    path("tokens/<int:pk>/revoke/", profile.token_revoke, name="token_revoke"),
    path(
        "v1/schema/",
        SpectacularAPIView.as_view(authentication_classes=[], permission_classes=[]),
        name="schema",
    ),
    path("v1/docs/", DOCS_CSP(swagger), name="swagger"),
    path("v1/redoc/", DOCS_CSP(redoc), name="redoc"),
    path("v1/me/", webhooks.MeView.as_view(), name="me"),
    path("v1/filings/", filings.FilingListView.as_view(), name="filings"),
    path(F, filings.FilingDetailView.as_view(), name="filing"),
    path(F + "sections/<str:section>/", sections.SectionView.as_view(), name="section"),
    path(F + "preflight/", filings.PreflightView.as_view(), name="preflight"),
    path(F + "attestations/", filings.AttestationsView.as_view(), name="attestations"),
    path(F + "submit/", filings.SubmitView.as_view(), name="submit"),
    path(F + "documents/", documents.DocumentListView.as_view(), name="documents"),
    path(F + "documents/history/", documents.DocumentHistoryView.as_view(), name="document_history"),
    path(F + "documents/<int:pk>/file/", documents.DocumentDownloadView.as_view(), name="document_file"),
    path(F + "tapes/", tapes.TapeListView.as_view(), name="tapes"),
    path(F + "tapes/mappings/", tapes.SavedMappingListView.as_view(), name="mappings"),
    path(F + "tapes/<int:pk>/", tapes.TapeJobView.as_view(), name="tape"),
    path(F + "tapes/<int:pk>/errors/", tapes.TapeErrorsView.as_view(), name="tape_errors"),
    path(F + "tapes/<int:pk>/errors.<str:fmt>", tapes.TapeErrorReportView.as_view(), name="tape_report"),
    path(F + "pool/", tapes.PoolView.as_view(), name="pool"),
    path(F + "supplement-requests/", reviews.SupplementRequestListView.as_view(), name="requests"),
    path(F + "items/<int:pk>/answer/", reviews.ItemAnswerView.as_view(), name="item_answer"),
    path(F + "resubmit/", reviews.ResubmitView.as_view(), name="resubmit"),
    path(F + "notices/", reviews.NoticeListView.as_view(), name="notices"),
    path(F + "notices/<int:pk>/pdf/", reviews.NoticePdfView.as_view(), name="notice_pdf"),
    path(F + "dossiers/", reviews.DossierListView.as_view(), name="dossiers"),
    path(F + "dossiers/<int:pk>/", reviews.DossierDetailView.as_view(), name="dossier"),
    path(F + "dossiers/<int:pk>/pdf/", reviews.DossierPdfView.as_view(), name="dossier_pdf"),
    path("v1/review/queue/", reviews.QueueView.as_view(), name="queue"),
    path("v1/review/filings/<str:reference>/export/", reviews.ExportView.as_view(), name="export"),
    path("v1/webhooks/", webhooks.WebhookListView.as_view(), name="webhooks"),
    path("v1/webhooks/<int:pk>/", webhooks.WebhookDetailView.as_view(), name="webhook"),
    path("v1/webhooks/<int:pk>/rotate-secret/", webhooks.WebhookRotateView.as_view(), name="webhook_rotate"),
    path(
        "v1/webhooks/<int:pk>/deliveries/",
        webhooks.WebhookDeliveriesView.as_view(),
        name="webhook_deliveries",
    ),
    # Anything else under v1 is a problem-details 404, not the web's HTML page.
    re_path(r"^v1/", NotFoundView.as_view(), name="not_found"),
]
