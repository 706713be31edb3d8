from django.urls import include, path

from municipia.cooperation import iati_import_views, views

app_name = "cooperation"

urlpatterns = [
    path("projects/", views.project_list, name="project-list"),
    path("projects/<slug:slug>/", views.project_detail, name="project-detail"),
    path("projects/<slug:slug>/map.json", views.project_map, name="project-map"),
    path("projects/<slug:slug>/finances/", views.project_finances, name="project-finances"),
    path("projects/<slug:slug>/status/", views.project_status, name="project-status"),
    path("projects/<slug:slug>/commitments/", views.commitment_create, name="commitment-create"),
    path("projects/<slug:slug>/tranches/", views.tranche_create, name="tranche-create"),
    path(
        "projects/<slug:slug>/tranches/<int:pk>/release/",
        views.tranche_release,
        name="tranche-release",
    ),
    *[
        path(
            f"projects/<slug:slug>/{what}s/new/",
            views.project_add,
            {"what": what},
            name=f"{what}-create",
        )
        for what in views.PROJECT_ADDITIONS
    ],
    path(
        "projects/<slug:slug>/indicators/<int:pk>/values/new/",
        views.indicator_value_create,
        name="indicator-value-create",
    ),
    path("projects/<slug:slug>/reports/new/", views.report_create, name="report-create"),
    path("projects/<slug:slug>/reports/<int:pk>/", views.report_detail, name="report-detail"),
    path("projects/<slug:slug>/iati.xml", views.iati_project, name="iati-project"),
    path("from-application/<int:pk>/", views.from_application, name="project-from-application"),
    path("funds/<slug:network>/<slug:slug>/", views.fund_statement_view, name="fund-statement"),
    path("funds/<slug:network>/<slug:slug>/income/new/", views.income_create, name="income-create"),
    path(
        "funds/<slug:network>/<slug:slug>/statement.<str:fmt>",
        views.fund_statement_view,
        name="fund-statement-file",
    ),
    path("open-data/<slug:network>/publisher/", views.iati_publisher_edit, name="iati-publisher"),
    path("opportunities/", include("municipia.cooperation.opportunities.urls")),
    path("open-data/<slug:network>/iati-activities.<str:fmt>", views.iati_network, name="iati"),
    path("", include("municipia.cooperation.agreements.urls")),
    path("", include("municipia.cooperation.missions.urls")),
    path("imports/<slug:network>/iati/", iati_import_views.iati_import, name="iati-import"),
    path("imports/iati/<int:pk>/", iati_import_views.iati_import_detail, name="iati-import-detail"),
    path(
        "imports/iati/<int:pk>/choose/",
        iati_import_views.iati_import_choose,
        name="iati-import-choose",
    ),
    path(
        "imports/iati/<int:pk>/write/",
        iati_import_views.iati_import_write,
        name="iati-import-write",
    ),
]
