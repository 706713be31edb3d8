from django.urls import path

from municipia.cooperation.agreements import views

urlpatterns = [
    path("agreements/", views.agreement_list, name="agreement-list"),
    path("agreements/new/", views.agreement_create, name="agreement-create"),
    path("agreements/import/", views.agreement_import, name="agreement-import"),
    path(
        "agreements/import/<int:pk>/",
        views.agreement_import_detail,
        name="agreement-import-detail",
    ),
    path(
        "agreements/import/<int:pk>/columns/",
        views.agreement_import_columns,
        name="agreement-import-columns",
    ),
    path(
        "agreements/import/<int:pk>/choose/",
        views.agreement_import_choose,
        name="agreement-import-choose",
    ),
    path(
        "agreements/import/<int:pk>/write/",
        views.agreement_import_write,
        name="agreement-import-write",
    ),
    path("agreements/<slug:slug>/", views.agreement_detail, name="agreement-detail"),
    path("agreements/<slug:slug>/edit/", views.agreement_edit, name="agreement-edit"),
    path("agreements/<slug:slug>/status/", views.agreement_status, name="agreement-status"),
    path(
        "agreements/<slug:slug>/documents/",
        views.agreement_documents,
        name="agreement-documents",
    ),
    path(
        "agreements/<slug:slug>/documents/<int:pk>/",
        views.agreement_document,
        name="agreement-document",
    ),
]
