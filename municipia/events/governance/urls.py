"""Included by events/urls.py, before the event pages' own patterns."""

from django.urls import path

from municipia.events.governance import views

urlpatterns = [
    path("governance/bodies/<int:pk>/", views.body_detail, name="governance-body"),
    path("<slug:slug>/governance/", views.meeting_manage, name="governance-meeting"),
    path("<slug:slug>/governance/quorum/", views.quorum_fragment, name="governance-quorum"),
    path(
        "<slug:slug>/governance/do/<slug:action>/",
        views.meeting_action,
        name="governance-action",
    ),
    path("<slug:slug>/governance/vote/", views.ballot_vote, name="governance-vote"),
    path("<slug:slug>/governance/results/", views.results, name="governance-results"),
    path("<slug:slug>/governance/minutes/", views.minutes_detail, name="governance-minutes"),
    path(
        "<slug:slug>/governance/minutes.pdf", views.minutes_download, name="governance-minutes-pdf"
    ),
    path("<slug:slug>/governance/follow-up/", views.follow_up, name="governance-follow-up"),
    path(
        "<slug:slug>/governance/documents/<int:pk>/",
        views.document_download,
        name="governance-document",
    ),
]
