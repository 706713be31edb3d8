from django.urls import path

from municipia.surveys import views
from municipia.surveys.impact import views as impact

app_name = "surveys"

urlpatterns = [
    path("", views.questionnaire_list, name="questionnaire-list"),
    path("new/", views.questionnaire_create, name="questionnaire-create"),
    path("impact/", impact.impact_home, name="impact-home"),
    path(
        "impact/rounds/<int:round_pk>/start/",
        impact.assessment_start,
        name="impact-assessment-start",
    ),
    path("impact/assessments/<int:pk>/", impact.assessment_fill, name="impact-assessment"),
    path("impact/rubrics/<int:pk>/", impact.rubric_view, name="impact-rubric"),
    path(
        "impact/rubrics/<int:pk>/<slug:action>/", impact.rubric_action, name="impact-rubric-action"
    ),
    path(
        "impact/experiences/<int:experience_pk>/methodologies/new/",
        impact.methodology_add,
        name="impact-methodology-add",
    ),
    path(
        "impact/methodologies/<int:pk>/document/",
        impact.methodology_document,
        name="impact-methodology-document",
    ),
    path("<int:pk>/", views.questionnaire_detail, name="questionnaire-detail"),
    path("<int:pk>/settings/", views.questionnaire_edit, name="questionnaire-edit"),
    path("<int:pk>/questions/<int:field_id>/", views.question_edit, name="question-edit"),
    path(
        "<int:pk>/questions/<int:field_id>/delete/",
        views.question_delete,
        name="question-delete",
    ),
    path("<int:pk>/invite/", views.questionnaire_invite, name="questionnaire-invite"),
    path("<int:pk>/results/", views.questionnaire_results, name="questionnaire-results"),
    path("<int:pk>/indicators/", views.questionnaire_feeds, name="questionnaire-feeds"),
    path(
        "<int:pk>/indicators/<int:feed_pk>/<slug:action>/",
        views.feed_action,
        name="feed-action",
    ),
    path("<int:pk>/<slug:action>/", views.questionnaire_action, name="questionnaire-action"),
    path("answer/<str:token>/", views.answer, name="answer"),
    path("public/<str:key>/", views.answer_public, name="answer-public"),
]
