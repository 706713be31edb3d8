from django.urls import path

from municipia.communications import views

app_name = "communications"

urlpatterns = [
    # News, per network; the news of every network
    path("news/", views.news_index, name="news-index"),
    path("news/<slug:network>/", views.news_list, name="news-list"),
    path("news/<slug:network>/<int:pk>/", views.news_detail, name="news-detail"),
    path("news/<slug:network>/<int:pk>/image/", views.post_image, name="post-image"),
    path("news/<slug:network>/feeds/", views.feed_page, name="feeds"),
    path(
        "news/<slug:network>/feeds/<str:language>/<slug:kind>.rss",
        views.feed_rss,
        name="feed-rss",
    ),
    path(
        "news/<slug:network>/feeds/<str:language>/<slug:kind>.atom",
        views.feed_atom,
        name="feed-atom",
    ),
    path("news/<slug:network>/manage/", views.news_manage, name="news-manage"),
    path("news/<slug:network>/manage/new/", views.post_create, name="post-create"),
    path("news/posts/<int:pk>/edit/", views.post_edit, name="post-edit"),
    path("news/posts/<int:pk>/translate/", views.post_translate, name="post-translate"),
    path("news/posts/<int:pk>/publish/", views.post_publish, name="post-publish"),
    # Newsletters
    path("news/<slug:network>/newsletter/", views.subscribe, name="subscribe"),
    path("news/<slug:network>/newsletter/archive/", views.issue_archive, name="issue-archive"),
    path("news/<slug:network>/newsletter/<int:pk>/", views.issue_detail, name="issue-detail"),
    path(
        "news/<slug:network>/newsletter/manage/",
        views.issue_list_manage,
        name="issue-list-manage",
    ),
    path("newsletter/issues/<int:pk>/", views.issue_manage, name="issue-manage"),
    path(
        "newsletter/issues/<int:pk>/preview.<str:kind>",
        views.issue_preview,
        name="issue-preview",
    ),
    path("newsletter/issues/<int:pk>/send/", views.issue_send, name="issue-send"),
    path("newsletter/issues/<int:pk>/progress/", views.issue_job, name="issue-job"),
    path(
        "newsletter/confirm/<str:token>/",
        views.subscription_confirm,
        name="subscription-confirm",
    ),
    path("newsletter/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("newsletter/delivery-events/", views.delivery_webhook, name="delivery-webhook"),
    # Campaigns
    path("campaigns/", views.campaign_list, name="campaign-list"),
    path("campaigns/<slug:slug>/", views.campaign_detail, name="campaign-detail"),
    path("campaigns/<slug:slug>/map.json", views.campaign_map, name="campaign-map"),
    path("campaigns/<slug:slug>/activities/new/", views.activity_create, name="activity-create"),
    path("campaigns/<slug:slug>/manage/", views.campaign_manage, name="campaign-manage"),
    path(
        "campaigns/<slug:slug>/manage/text/<str:language>/",
        views.campaign_text,
        name="campaign-text",
    ),
    path("campaigns/<slug:slug>/manage/materials/", views.material_add, name="material-add"),
    path(
        "campaigns/<slug:slug>/manage/materials/<int:pk>/remove/",
        views.material_remove,
        name="material-remove",
    ),
    path("campaigns/<slug:slug>/manage/exhibition/", views.stop_add, name="stop-add"),
    path(
        "campaigns/<slug:slug>/manage/exhibition/<int:pk>/remove/",
        views.stop_remove,
        name="stop-remove",
    ),
    path(
        "campaigns/<slug:slug>/materials/<int:pk>/",
        views.material_download,
        name="material-download",
    ),
]
