from django.urls import path

from municipia.directory import views

app_name = "directory"

urlpatterns = [
    path("networks/", views.network_list, name="network-list"),
    path("networks/<slug:slug>/", views.network_detail, name="network-detail"),
]
