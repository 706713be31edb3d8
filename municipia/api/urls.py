from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from municipia.api.views import accounts, directory, knowledge, search

router = DefaultRouter()
router.register("countries", directory.CountryViewSet, basename="country")
router.register("local-governments", directory.LocalGovernmentViewSet, basename="local-government")
router.register("networks", directory.NetworkViewSet, basename="network")
router.register("experiences", knowledge.ExperienceViewSet, basename="experience")
router.register("publications", knowledge.PublicationViewSet, basename="publication")

app_name = "api"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="api:docs", permanent=False), name="index"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
    path("v1/me/", accounts.MeView.as_view(), name="me"),
    path("v1/me/token/", accounts.TokenView.as_view(), name="me-token"),
    path("v1/search/", search.SearchView.as_view(), name="search"),
    path("v1/sdg-suggestions/", search.SdgSuggestionView.as_view(), name="sdg-suggestions"),
    path("v1/", include(router.urls)),
]
