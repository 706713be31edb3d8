from django.urls import path

from municipia.surveys import views

app_name = "surveys"

urlpatterns = [
    path("", views.questionnaire_list, name="questionnaire-list"),
    path("new/", views.questionnaire_create, name="questionnaire-create"),
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
    path("<int:pk>/<slug:action>/", views.questionnaire_action, name="questionnaire-action"),
    path("answer/<str:token>/", views.answer, name="answer"),
    path("public/<str:key>/", views.answer_public, name="answer-public"),
]
