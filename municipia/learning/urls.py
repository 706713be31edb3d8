from django.urls import path

from municipia.learning import views, views_manage

app_name = "learning"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("network/<slug:network_slug>/", views.catalogue, name="network-catalogue"),
    path("mine/", views.my_learning, name="my-learning"),
    path("manage/", views_manage.manage_index, name="manage"),
    path("manage/new/", views_manage.course_create, name="course-create"),
    path("manage/<slug:slug>/", views_manage.course_manage, name="course-manage"),
    path("manage/<slug:slug>/translate/", views_manage.course_translate, name="course-translate"),
    path("manage/<slug:slug>/modules/", views_manage.module_create, name="module-create"),
    path("manage/<slug:slug>/runs/new/", views_manage.run_create, name="run-create"),
    path("modules/<int:pk>/materials/", views_manage.material_create, name="material-create"),
    path("modules/<int:pk>/assignments/", views_manage.assignment_create, name="assignment-create"),
    path("runs/<int:pk>/", views.run_detail, name="run-detail"),
    path("runs/<int:pk>/enrol/", views.run_enrol, name="run-enrol"),
    path("runs/<int:pk>/edit/", views_manage.run_edit, name="run-edit"),
    path("runs/<int:pk>/enrolments/", views_manage.enrolments, name="enrolments"),
    path("runs/<int:pk>/sessions/", views_manage.session_create, name="session-create"),
    path("runs/<int:pk>/grading/", views_manage.grading_queue, name="grading-queue"),
    path("runs/<int:pk>/modules/<int:module_pk>/done/", views.module_done, name="module-done"),
    path(
        "runs/<int:pk>/assignments/<int:assignment_pk>/submit/",
        views.submission_create,
        name="submission-create",
    ),
    path("runs/<int:pk>/forum/new/", views.thread_create, name="thread-create"),
    path(
        "runs/<int:pk>/materials/<int:material_pk>/",
        views.material_download,
        name="material-download",
    ),
    path("runs/<int:pk>/forum/<int:thread_pk>/", views.thread_detail, name="thread-detail"),
    path("sessions/<int:pk>/attendance/", views_manage.attendance, name="attendance"),
    path("enrolments/<int:pk>/cancel/", views.enrolment_cancel, name="enrolment-cancel"),
    path("enrolments/<int:pk>/decide/", views_manage.enrolment_decide, name="enrolment-decide"),
    path(
        "enrolments/<int:pk>/certificate/",
        views_manage.certificate_issue,
        name="certificate-issue",
    ),
    path("submissions/<int:pk>/", views.submission_download, name="submission-download"),
    path("submissions/<int:pk>/grade/", views_manage.submission_grade, name="submission-grade"),
    path("forum/posts/<int:pk>/moderate/", views_manage.post_moderate, name="post-moderate"),
    path("forum/threads/<int:pk>/moderate/", views_manage.thread_moderate, name="thread-moderate"),
    path(
        "certificates/<int:pk>/certificate.pdf",
        views.certificate_download,
        name="certificate-download",
    ),
    path(
        "certificates/<int:pk>/revoke/", views_manage.certificate_revoke, name="certificate-revoke"
    ),
    path("<slug:slug>/", views.course_detail, name="course-detail"),
]
