from django.urls import path, re_path

from municipia.accountability import views

app_name = "accountability"

SECTION = r"(?P<section>[a-z]+)\.(?P<fmt>json|csv)"

urlpatterns = [
    path("books/", views.accounts_index, name="index"),
    path("books/<slug:network>/", views.books, name="books"),
    path("books/<slug:network>/entries/", views.entries, name="entries"),
    path(
        "books/<slug:network>/entries/<int:pk>/document/",
        views.entry_document,
        name="entry-document",
    ),
    path("books/<slug:network>/audits/", views.audits, name="audits"),
    path("books/<slug:network>/audits/<int:pk>/", views.audit, name="audit"),
    path(
        "books/<slug:network>/audits/<int:pk>/report/",
        views.audit_report_download,
        name="audit-report",
    ),
    path(
        "books/<slug:network>/transparency/",
        views.transparency_manage,
        name="transparency-manage",
    ),
    path("books/<slug:network>/<int:year>/", views.budget, name="budget"),
    path("books/<slug:network>/<int:year>/approve/", views.budget_edit, name="budget-edit"),
    path("books/<slug:network>/<int:year>/close/", views.budget_close, name="budget-close"),
    re_path(
        r"^books/(?P<network>[-\w]+)/(?P<year>\d{4})/report\.(?P<fmt>pdf|docx)$",
        views.financial_report,
        name="financial-report",
    ),
    # The public transparency page, with a stable address per year and per section.
    path("transparency/<slug:network>/", views.transparency_page, name="transparency"),
    path(
        "transparency/<slug:network>/<int:year>/",
        views.transparency_page,
        name="transparency-year",
    ),
    re_path(
        rf"^transparency/(?P<network>[-\w]+)/{SECTION}$",
        views.transparency_data,
        name="transparency-data",
    ),
    re_path(
        rf"^transparency/(?P<network>[-\w]+)/(?P<year>\d{{4}})/{SECTION}$",
        views.transparency_data,
        name="transparency-year-data",
    ),
    re_path(
        r"^transparency/(?P<network>[-\w]+)/(?P<year>\d{4})/financial-report\.(?P<fmt>pdf|docx)$",
        views.transparency_report,
        name="transparency-report",
    ),
    path(
        "transparency/<slug:network>/documents/<int:pk>/",
        views.transparency_document,
        name="transparency-document",
    ),
    path(
        "transparency/<slug:network>/audits/<int:pk>/report/",
        views.transparency_audit_report,
        name="transparency-audit-report",
    ),
]
