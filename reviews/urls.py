"""URLs of the review screens (regulator side, plus the issuer's answers to supplement requests)."""

from django.urls import path

from .views import checklist, items, queue, workspace

app_name = "reviews"

urlpatterns = [
    path("", queue.queue, name="queue"),
    path("outbox/", queue.outbox, name="outbox"),
    path("declarations/<int:pk>/", queue.declaration, name="declaration"),
    path("checklists/", checklist.template_list, name="template_list"),
    path("checklists/new/", checklist.template_new, name="template_new"),
    path("checklists/<int:pk>/", checklist.template_detail, name="template_detail"),
    path(
        "checklists/<int:pk>/items/<int:item_pk>/delete/",
        checklist.template_item_delete,
        name="template_item_delete",
    ),
    path("checklists/<int:pk>/publish/", checklist.template_publish, name="template_publish"),
    path("<str:reference>/", workspace.workspace, name="workspace"),
    path("<str:reference>/assign/", workspace.assign, name="assign"),
    path("<str:reference>/assignments/<int:pk>/remove/", workspace.unassign, name="unassign"),
    path("<str:reference>/recuse/", workspace.recuse, name="recuse"),
    path("<str:reference>/accept/", workspace.accept, name="accept"),
    path("<str:reference>/not-accept/", workspace.not_accept, name="not_accept"),
    path("<str:reference>/checklist/", checklist.checklist, name="checklist"),
    path("<str:reference>/checklist/bulk/", checklist.checklist_bulk, name="checklist_bulk"),
    path("<str:reference>/items/", items.items, name="items"),
    path("<str:reference>/items/new/", items.item_create, name="item_create"),
    path("<str:reference>/items/<int:pk>/discard/", items.item_discard, name="item_discard"),
    path("<str:reference>/items/<int:pk>/rule/", items.item_rule, name="item_rule"),
    path("<str:reference>/requests/send/", items.request_send, name="request_send"),
    path("<str:reference>/decision/", workspace.decision, name="decision"),
    path("<str:reference>/decision/draft/", workspace.decision_draft, name="decision_draft"),
    path("<str:reference>/decision/<int:pk>/<str:action>/", workspace.decision_act, name="decision_act"),
    path("<str:reference>/waivers/", workspace.waivers, name="waivers"),
    path("<str:reference>/waivers/<int:pk>/rule/", workspace.waiver_rule, name="waiver_rule"),
    path("<str:reference>/notices/<int:pk>/", items.notice, name="notice"),
    path("<str:reference>/notices/<int:pk>/pdf/", items.notice_pdf, name="notice_pdf"),
    path("<str:reference>/supplement/", items.supplement, name="supplement"),
    path(
        "<str:reference>/supplement/items/<int:pk>/answer/", items.supplement_answer, name="supplement_answer"
    ),
    path("<str:reference>/supplement/resubmit/", items.supplement_resubmit, name="supplement_resubmit"),
]
