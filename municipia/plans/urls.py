from django.urls import path, re_path

from municipia.plans.feeds import PlanUpdatesAtomFeed, PlanUpdatesFeed
from municipia.plans.views import consultation, importing, manage, public

app_name = "plans"

urlpatterns = [
    path("plans/", public.plan_list, name="plan-list"),
    path("plans/new/", manage.plan_create, name="plan-create"),
    path("plans/import/", importing.plan_import, name="plan-import"),
    path("plans/import/preview/", importing.plan_import_preview, name="plan-import-preview"),
    path("plans/import/confirm/", importing.plan_import_confirm, name="plan-import-confirm"),
    path("plans/comments/<int:pk>/support/", consultation.comment_support, name="comment-support"),
    path("plans/comments/<int:pk>/hide/", consultation.comment_hide, name="comment-hide"),
    path("plans/comments/<int:pk>/restore/", consultation.comment_restore, name="comment-restore"),
    path("plans/comments/<int:pk>/answer/", consultation.proposal_answer, name="proposal-answer"),
    path("plans/sections/<int:pk>/edit/", manage.section_edit, name="section-edit"),
    path("plans/objectives/<int:pk>/edit/", manage.objective_edit, name="objective-edit"),
    path(
        "plans/objectives/<int:pk>/activities/new/",
        manage.activity_create,
        name="activity-create",
    ),
    path("plans/activities/<int:pk>/edit/", manage.activity_edit, name="activity-edit"),
    path("plans/activities/<int:pk>/progress/", manage.progress_create, name="progress-create"),
    path(
        "plans/activities/<int:pk>/links/new/",
        manage.activity_link_create,
        name="activity-link-create",
    ),
    path("plans/indicators/<int:pk>/edit/", manage.indicator_edit, name="indicator-edit"),
    path(
        "plans/indicators/<int:pk>/values/new/",
        manage.indicator_value_create,
        name="indicator-value-create",
    ),
    path("plans/<slug:slug>/", public.plan_detail, name="plan-detail"),
    path(
        "plans/<slug:slug>/activities/<int:pk>/",
        public.activity_detail,
        name="activity-detail",
    ),
    path("plans/<slug:slug>/history/", public.plan_history, name="plan-history"),
    path("plans/<slug:slug>/priorities/", manage.plan_priorities, name="plan-priorities"),
    path(
        "plans/<slug:slug>/parts/<str:kind>/<int:pk>/",
        public.plan_branch,
        name="plan-branch",
    ),
    re_path(
        r"^plans/(?P<slug>[-\w]+)/report\.(?P<fmt>pdf|docx)$",
        public.plan_report,
        name="plan-report",
    ),
    path("plans/<slug:slug>/feed/rss/", PlanUpdatesFeed(), name="plan-feed-rss"),
    path("plans/<slug:slug>/feed/atom/", PlanUpdatesAtomFeed(), name="plan-feed-atom"),
    path(
        "plans/<slug:slug>/consultation/", consultation.plan_consultation, name="plan-consultation"
    ),
    path(
        "plans/<slug:slug>/consultation/comment/",
        consultation.comment_create,
        name="comment-create",
    ),
    path("plans/<slug:slug>/manage/", manage.plan_dashboard, name="plan-dashboard"),
    path("plans/<slug:slug>/edit/", manage.plan_edit, name="plan-edit"),
    path("plans/<slug:slug>/status/", manage.plan_transition, name="plan-transition"),
    path("plans/<slug:slug>/sections/new/", manage.section_create, name="section-create"),
    path("plans/<slug:slug>/objectives/new/", manage.objective_create, name="objective-create"),
    path("plans/<slug:slug>/indicators/new/", manage.indicator_create, name="indicator-create"),
]
