from csp.constants import NONCE, SELF
from csp.decorators import csp_update
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)
from rest_framework.routers import DefaultRouter

from municipia.api.views import (
    accountability,
    accounts,
    autocomplete,
    calls,
    communications,
    cooperation,
    cooperation_agreements,
    cooperation_missions,
    cooperation_opportunities,
    directory,
    errors,
    events,
    finance,
    governance,
    impact,
    knowledge,
    learning,
    matching,
    plans,
    privacy,
    search,
    surveys,
    verification,
)

router = DefaultRouter()
router.register("countries", directory.CountryViewSet, basename="country")
router.register("local-governments", directory.LocalGovernmentViewSet, basename="local-government")
router.register("networks", directory.NetworkViewSet, basename="network")
router.register("plans", plans.PlanViewSet, basename="plan")
router.register("plan-sections", plans.SectionViewSet, basename="plan-section")
router.register("plan-objectives", plans.ObjectiveViewSet, basename="plan-objective")
router.register("plan-activities", plans.ActivityViewSet, basename="plan-activity")
router.register("plan-indicators", plans.IndicatorViewSet, basename="plan-indicator")
router.register("plan-updates", plans.ProgressUpdateViewSet, basename="plan-update")
router.register("plan-comments", plans.ConsultationCommentViewSet, basename="plan-comment")
router.register("dues/fee-schedules", finance.FeeScheduleViewSet, basename="fee-schedule")
router.register("dues/invoices", finance.InvoiceViewSet, basename="invoice")
router.register("dues/payments", finance.PaymentViewSet, basename="payment")
router.register("dues/arrears", finance.ArrearsViewSet, basename="arrears")
router.register("calls", calls.CallViewSet, basename="call")
router.register("applications", calls.ApplicationViewSet, basename="application")
router.register("reviews", calls.ReviewViewSet, basename="review")
router.register("organisations", directory.OrganisationViewSet, basename="organisation")
router.register("people", directory.PersonViewSet, basename="person")
router.register("memberships", directory.MembershipViewSet, basename="membership")
router.register("experiences", knowledge.ExperienceViewSet, basename="experience")
router.register("publications", knowledge.PublicationViewSet, basename="publication")
router.register("cooperation/funds", cooperation.FundViewSet, basename="fund")
router.register("cooperation/fund-income", cooperation.FundIncomeViewSet, basename="fund-income")
router.register(
    "cooperation/commitments", cooperation.FundCommitmentViewSet, basename="fund-commitment"
)
router.register("cooperation/projects", cooperation.ProjectViewSet, basename="project")
router.register(
    "cooperation/agreements", cooperation_agreements.AgreementViewSet, basename="agreement"
)
router.register("cooperation/partners", cooperation.PartnerViewSet, basename="project-partner")
router.register(
    "cooperation/indicators", cooperation.ProjectIndicatorViewSet, basename="project-indicator"
)
router.register("cooperation/missions", cooperation_missions.MissionViewSet, basename="mission")

router.register("events", events.EventViewSet, basename="event")
router.register("governance/bodies", governance.BodyViewSet, basename="governance-body")
router.register("governance/ballots", governance.BallotViewSet, basename="governance-ballot")
router.register("governance/results", governance.ResultViewSet, basename="governance-result")
router.register("event-sessions", events.SessionViewSet, basename="event-session")
router.register("event-registrations", events.RegistrationViewSet, basename="event-registration")
router.register("questionnaires", surveys.QuestionnaireViewSet, basename="questionnaire")
router.register("news", communications.NewsViewSet, basename="news")
router.register("campaigns", communications.CampaignViewSet, basename="campaign")
router.register(
    "newsletter-subscriptions",
    communications.SubscriptionViewSet,
    basename="newsletter-subscription",
)
router.register("learning/courses", learning.CourseViewSet, basename="learning-course")
router.register("learning/runs", learning.RunViewSet, basename="learning-run")
router.register("learning/enrolments", learning.EnrolmentViewSet, basename="learning-enrolment")
router.register("learning/submissions", learning.SubmissionViewSet, basename="learning-submission")
router.register(
    "learning/certificates", learning.CertificateViewSet, basename="learning-certificate"
)
router.register("privacy/requests", privacy.MyRequestViewSet, basename="privacy-request")
router.register("privacy/queue", privacy.StaffRequestViewSet, basename="privacy-queue")
router.register("impact-rubrics", impact.RubricViewSet, basename="impact-rubric")
router.register("impact-rounds", impact.RoundViewSet, basename="impact-round")
router.register("impact-assessments", impact.AssessmentViewSet, basename="impact-assessment")
router.register(
    "cooperation/opportunities",
    cooperation_opportunities.OpportunityViewSet,
    basename="funding-opportunity",
)

app_name = "api"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="api:docs", permanent=False), name="index"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's settings as a script of its own: no inline script (CSP).
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    # ReDoc writes its styles into <style> elements and searches in a worker it makes from a blob:
    # this page alone lets in the styles that carry its nonce, and such workers.
    path(
        "redoc/",
        csp_update({"style-src": [SELF, NONCE], "worker-src": [SELF, "blob:"]})(
            SpectacularRedocView.as_view(url_name="api:schema")
        ),
        name="redoc",
    ),
    path("v1/me/", accounts.MeView.as_view(), name="me"),
    path("v1/me/token/", accounts.TokenView.as_view(), name="me-token"),
    path("v1/search/", search.SearchView.as_view(), name="search"),
    path("v1/privacy/export/", privacy.MyExportView.as_view(), name="privacy-export"),
    path(
        "v1/privacy/erasure-preview/",
        privacy.MyErasurePreviewView.as_view(),
        name="privacy-erasure-preview",
    ),
    path("v1/verify/<str:code>/", verification.VerificationView.as_view(), name="verify"),
    path("v1/sdg-suggestions/", search.SdgSuggestionView.as_view(), name="sdg-suggestions"),
    path("v1/autocomplete/places/", autocomplete.PlaceAutocompleteView.as_view(), name="ac-places"),
    path(
        "v1/autocomplete/people/", autocomplete.PersonAutocompleteView.as_view(), name="ac-people"
    ),
    path(
        "v1/autocomplete/sdg-targets/",
        autocomplete.SdgTargetAutocompleteView.as_view(),
        name="ac-sdg-targets",
    ),
    path("v1/autocomplete/themes/", autocomplete.ThemeAutocompleteView.as_view(), name="ac-themes"),
    path(
        "v1/autocomplete/experiences/",
        autocomplete.ExperienceAutocompleteView.as_view(),
        name="ac-experiences",
    ),
    path("v1/event-check-ins/", events.CheckInView.as_view(), name="event-check-in"),
    path("v1/impact-profiles/<int:pk>/", impact.ProfileView.as_view(), name="impact-profile"),
    path(
        "v1/questionnaire-answers/<str:token>/",
        surveys.AnswerView.as_view(),
        name="questionnaire-answer",
    ),
    path(
        "v1/matching/partners/", matching.PartnerSuggestionView.as_view(), name="matching-partners"
    ),
    path("v1/matching/mentors/", matching.MentorSuggestionView.as_view(), name="matching-mentors"),
    path("v1/matching/experts/", matching.ExpertSuggestionView.as_view(), name="matching-experts"),
    path(
        "v1/matching/graph/<slug:slug>/", matching.GraphFiguresView.as_view(), name="matching-graph"
    ),
    path(
        "v1/books/<slug:network>/<int:year>/",
        accountability.YearAccountsView.as_view(),
        name="books-year",
    ),
    path(
        "v1/books/<slug:network>/<int:year>/versions/",
        accountability.BudgetVersionView.as_view(),
        name="books-budget-version",
    ),
    path(
        "v1/books/<slug:network>/entries/",
        accountability.ManualEntryListView.as_view(),
        name="books-entries",
    ),
    path(
        "v1/books/<slug:network>/audits/",
        accountability.AuditListView.as_view(),
        name="books-audits",
    ),
    path(
        "v1/transparency/<slug:network>/",
        accountability.TransparencyPageView.as_view(),
        name="transparency",
    ),
    path(
        "v1/transparency/<slug:network>/<slug:section>/",
        accountability.TransparencySectionView.as_view(),
        name="transparency-section",
    ),
    path("v1/", include(router.urls)),
    # Last: any other path under v1/ ending in a slash (those without one still get the redirect
    # to the slashed URL) answers JSON.
    re_path(r"^v1/[\s\S]*/$", errors.not_found),
]
