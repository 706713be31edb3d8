from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from municipia import views
from municipia.core.views import healthz, switch_language

# The admin logs in through allauth, so rate limits and TOTP apply there too.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", views.favicon),
    path("i18n/", include("django.conf.urls.i18n")),
    path("language/", switch_language, name="switch-language"),
    path("api/", include("municipia.api.urls")),
]

urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("accounts/", include("municipia.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("", include("municipia.core.urls")),
    path("", include("municipia.directory.urls")),
    path("", include("municipia.plans.urls")),
    path("", include("municipia.finance.urls")),
    path("calls/", include("municipia.calls.urls")),
    path("cooperation/", include("municipia.cooperation.urls")),
    path("events/", include("municipia.events.urls")),
    path("questionnaires/", include("municipia.surveys.urls")),
    path("", include("municipia.communications.urls")),
    path("learning/", include("municipia.learning.urls")),
    path("matching/", include("municipia.matching.urls")),
    path("", include("municipia.accountability.urls")),
    path("privacy/", include("municipia.privacy.urls")),
    path("", include("municipia.knowledge.urls")),
    path("", include("municipia.search.urls")),
    path("", include("municipia.translation.urls")),
    path("", include("municipia.verification.urls")),
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
