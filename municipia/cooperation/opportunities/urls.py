"""Funding opportunities' pages, under the cooperation namespace (included by cooperation/urls.py)."""

from django.urls import path

from municipia.cooperation.opportunities import feeds, views

urlpatterns = [
    path("", views.opportunity_list, name="opportunity-list"),
    path("feed.rss", feeds.OpportunitiesFeed(), name="opportunity-feed"),
    path("feed.atom", feeds.OpportunitiesAtomFeed(), name="opportunity-feed-atom"),
    path("mine/", views.my_opportunities, name="opportunity-mine"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="opportunity-unsubscribe"),
    path("imports/<int:pk>/", views.opportunity_import_preview, name="opportunity-import-preview"),
    path(
        "imports/<int:pk>/write/", views.opportunity_import_write, name="opportunity-import-write"
    ),
    path("network/<slug:network>/", views.opportunity_list, name="opportunity-network-list"),
    path(
        "network/<slug:network>/feed.rss",
        feeds.OpportunitiesFeed(),
        name="opportunity-network-feed",
    ),
    path(
        "network/<slug:network>/feed.atom",
        feeds.OpportunitiesAtomFeed(),
        name="opportunity-network-feed-atom",
    ),
    path("network/<slug:network>/new/", views.opportunity_create, name="opportunity-create"),
    path("network/<slug:network>/import/", views.opportunity_import, name="opportunity-import"),
    path("<slug:slug>/", views.opportunity_detail, name="opportunity-detail"),
    path("<slug:slug>/edit/", views.opportunity_edit, name="opportunity-edit"),
    path("<slug:slug>/translate/", views.opportunity_translate, name="opportunity-translate"),
    path("<slug:slug>/delete/", views.opportunity_delete, name="opportunity-delete"),
]
