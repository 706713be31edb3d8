from django.urls import path

from municipia.cooperation.missions import views

urlpatterns = [
    path("missions/", views.mission_list, name="mission-list"),
    path("missions/new/", views.mission_create, name="mission-create"),
    path("missions/<int:pk>/", views.mission_detail, name="mission-detail"),
    path("missions/<int:pk>/edit/", views.mission_edit, name="mission-edit"),
    path(
        "local-governments/<slug:slug>/international/",
        views.international_page,
        name="international-page",
    ),
    path(
        "local-governments/<slug:slug>/international/settings/",
        views.international_settings,
        name="international-settings",
    ),
]
