from django.urls import path

from municipia.knowledge import views

app_name = "knowledge"

urlpatterns = [
    path("bank/", views.bank, name="bank"),
    path("experiences/mine/", views.experience_workspace, name="workspace"),
    path("experiences/new/", views.experience_create, name="experience-create"),
    path("experiences/new/autosave/", views.experience_autosave, name="experience-autosave"),
    path("experiences/suggest-sdg/", views.sdg_suggest, name="sdg-suggest"),
    path("experiences/<int:pk>/", views.experience_detail, name="experience-detail"),
    path("experiences/<int:pk>/edit/", views.experience_edit, name="experience-edit"),
    path(
        "experiences/<int:pk>/autosave/",
        views.experience_autosave,
        name="experience-autosave-edit",
    ),
    path(
        "experiences/<int:pk>/translate/", views.experience_translate, name="experience-translate"
    ),
    path("experiences/<int:pk>/submit/", views.experience_submit, name="experience-submit"),
    path("experiences/<int:pk>/publish/", views.experience_publish, name="experience-publish"),
    path("experiences/<int:pk>/return/", views.experience_return, name="experience-return"),
    path("experiences/<int:pk>/attachments/", views.attachment_add, name="attachment-add"),
    path(
        "experiences/<int:pk>/attachments/<int:attachment_pk>/",
        views.attachment_download,
        name="attachment-download",
    ),
    path(
        "experiences/<int:pk>/attachments/<int:attachment_pk>/delete/",
        views.attachment_delete,
        name="attachment-delete",
    ),
    path("publications/", views.publication_list, name="publication-list"),
    path("publications/<int:pk>/", views.publication_detail, name="publication-detail"),
]
