from django.urls import path

from municipia.verification import views

app_name = "verification"

urlpatterns = [
    path("verify/", views.verify, name="verify"),
    path("verify/<str:code>/", views.verify_code, name="verify-code"),
    path("verify/<str:code>/revoke/", views.revoke, name="revoke"),
]
