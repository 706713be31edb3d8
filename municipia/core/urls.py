from django.urls import path

from municipia.core import views

app_name = "core"

urlpatterns = [
    path("work/", views.workspace, name="workspace"),
    path("jobs/<int:pk>/", views.job_progress, name="job-progress"),
]
