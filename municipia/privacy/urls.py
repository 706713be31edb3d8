from django.urls import path

from municipia.privacy import views

app_name = "privacy"

urlpatterns = [
    path("", views.my_data, name="my-data"),
    path("erasure/", views.erasure_preview, name="erasure-preview"),
    path("consents/<int:pk>/withdraw/", views.withdraw_consent, name="consent-withdraw"),
    path("exports/<int:pk>/<str:format>/", views.download_export, name="export-download"),
    path("requests/", views.queue, name="queue"),
    path("requests/<int:pk>/", views.request_detail, name="request-detail"),
    path("requests/<int:pk>/erase/", views.erase, name="request-erase"),
    path("requests/<int:pk>/export/", views.staff_export, name="request-export"),
]
