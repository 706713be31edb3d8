from django.urls import path

from municipia.translation import views

app_name = "translation"

urlpatterns = [
    path("translations/<str:label>/<int:pk>/", views.edit_texts, name="edit-texts"),
    path("translations/<str:label>/<int:pk>/translate/", views.translate_now, name="translate"),
]
