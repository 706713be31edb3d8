from django.urls import path

from municipia.calls.views import applicant, jury, manage, public

app_name = "calls"

urlpatterns = [
    path("", public.call_list, name="call-list"),
    path("mine/", applicant.application_list, name="application-list"),
    path("applications/<int:pk>/", applicant.application_edit, name="application-edit"),
    path(
        "applications/<int:pk>/autosave/",
        applicant.application_autosave,
        name="application-autosave",
    ),
    path("applications/<int:pk>/attach/", applicant.application_attach, name="application-attach"),
    path(
        "applications/<int:pk>/files/<int:file_pk>/delete/",
        applicant.file_delete,
        name="file-delete",
    ),
    path(
        "applications/<int:pk>/withdraw/",
        applicant.application_withdraw,
        name="application-withdraw",
    ),
    path("files/<int:pk>/", applicant.file_download, name="file-download"),
    path("reviews/", jury.review_list, name="review-list"),
    path("reviews/<int:pk>/", jury.review_detail, name="review"),
    path("reviews/<int:pk>/recuse/", jury.review_recuse, name="review-recuse"),
    path("manage/", manage.manage_list, name="manage-list"),
    path("manage/new/", manage.call_create, name="call-create"),
    path("<slug:slug>/", public.call_detail, name="call-detail"),
    path("<slug:slug>/apply/", applicant.application_start, name="application-start"),
    path("<slug:slug>/results/", public.call_results, name="call-results"),
    path("<slug:slug>/manage/", manage.manage_call, name="manage-call"),
    path("<slug:slug>/manage/edit/", manage.call_edit, name="call-edit"),
    path("<slug:slug>/manage/status/", manage.call_status, name="call-status"),
    path("<slug:slug>/manage/questions/new/", manage.form_fields, name="field-add"),
    path("<slug:slug>/manage/questions/<int:pk>/", manage.form_fields, name="field-edit"),
    path("<slug:slug>/manage/criteria/new/", manage.criteria, name="criterion-add"),
    path("<slug:slug>/manage/criteria/<int:pk>/", manage.criteria, name="criterion-edit"),
    path(
        "<slug:slug>/manage/<str:what>/<int:pk>/delete/",
        manage.structure_delete,
        name="structure-delete",
    ),
    path(
        "<slug:slug>/manage/applications/<int:pk>/",
        manage.manage_application,
        name="manage-application",
    ),
    path("<slug:slug>/manage/jury/", manage.manage_jury, name="manage-jury"),
    path("<slug:slug>/manage/jury/<int:pk>/remove/", manage.jury_remove, name="jury-remove"),
    path("<slug:slug>/manage/assign/", manage.assign, name="assign"),
    path("<slug:slug>/manage/assignments/add/", manage.assignment_add, name="assignment-add"),
    path(
        "<slug:slug>/manage/assignments/<int:pk>/remove/",
        manage.assignment_remove,
        name="assignment-remove",
    ),
    path("<slug:slug>/manage/remind/", manage.remind, name="remind"),
    path("<slug:slug>/manage/ranking/", manage.ranking, name="ranking"),
    path("<slug:slug>/manage/ranking/<int:pk>/decide/", manage.decide, name="decide"),
    path("<slug:slug>/manage/publish-results/", manage.results_publish, name="results-publish"),
    path("<slug:slug>/manage/export/<str:what>.<str:fmt>", manage.export, name="export"),
]
