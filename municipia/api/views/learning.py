"""The virtual classroom through the API: courses and runs as their pages show them; enrolments
(one's own, and all of the runs one's network runs); submissions and grades (a participant's own;
a tutor's run only); certificates, issued only to those who completed a run, whoever asks."""

from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from municipia.accounts.permissions import is_superuser
from municipia.api.schema import ErrorSerializer
from municipia.api.serializers.learning import (
    CourseCertificateIssueSerializer,
    CourseCertificateSerializer,
    CourseSerializer,
    DecisionSerializer,
    EnrolmentCreateSerializer,
    EnrolmentSerializer,
    GradeSerializer,
    RevocationSerializer,
    RunSerializer,
    SubmissionSerializer,
)
from municipia.learning.certificates import (
    CERTIFICATE_KIND,
    certificate_code,
    issue_certificate,
    revoke_certificate,
)
from municipia.learning.models import Course, CourseCertificate, CourseRun, Enrolment, Submission
from municipia.learning.permissions import can_manage_course
from municipia.learning.services import (
    LearningError,
    cancel_enrolment,
    decide_enrolment,
    enrol,
    grade_submission,
)
from municipia.verification.models import VerificationCode
from municipia.verification.services import VerificationError


def _refuse(error: Exception):
    raise serializers.ValidationError({"detail": str(error)}) from error


class CourseViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = CourseSerializer
    lookup_field = "slug"
    filterset_fields = ["level"]

    def get_queryset(self):
        courses = Course.objects.visible_to(self.request.user)
        if network := self.request.query_params.get("network"):
            courses = courses.filter(network__slug=network)
        return (
            courses.select_related("network", "partner_university")
            .prefetch_related("translations")
            .order_by("network__slug", "slug")
        )


class RunViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = RunSerializer
    filterset_fields = ["mode", "is_open"]

    def get_queryset(self):
        runs = CourseRun.objects.filter(course__in=Course.objects.visible_to(self.request.user))
        if course := self.request.query_params.get("course"):
            runs = runs.filter(course__slug=course)
        return runs.select_related("course").prefetch_related("tutors").order_by("-starts_on", "pk")


def _managed_course_ids(user):
    return Course.objects.managed_by(user).values("pk")


class EnrolmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """One's own enrolments, and every enrolment of the runs of courses one's network runs."""

    serializer_class = EnrolmentSerializer
    permission_classes = [permissions.IsAuthenticated]
    filterset_fields = ["status", "run"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Enrolment.objects.none()
        user = self.request.user
        shown = Q(user=user)
        if is_superuser(user):
            shown = Q()
        else:
            shown |= Q(run__course__in=_managed_course_ids(user))
        return (
            Enrolment.objects.filter(shown)
            .select_related("user", "certificate")
            .order_by("run", "created_at", "pk")
        )

    @extend_schema(
        request=EnrolmentCreateSerializer,
        responses={
            201: EnrolmentSerializer,
            404: OpenApiResponse(ErrorSerializer, description="No such run for this user."),
        },
    )
    def create(self, request, *args, **kwargs):
        """Enrol oneself: confirmed, waiting for approval, or on the waiting list when full."""
        data = EnrolmentCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        run = (
            CourseRun.objects.filter(course__in=Course.objects.visible_to(request.user))
            .select_related("course")
            .filter(pk=data.validated_data["run"])
            .first()
        )
        if run is None:
            raise Http404
        try:
            enrolment = enrol(
                run, user=request.user, language=data.validated_data.get("language") or None
            )
        except LearningError as error:
            _refuse(error)
        return Response(self.get_serializer(enrolment).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=DecisionSerializer, responses={200: EnrolmentSerializer})
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        """Approve or refuse an enrolment (the course's secretariat)."""
        enrolment = self.get_object()
        if not can_manage_course(request.user, enrolment.run.course):
            raise Http404
        data = DecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            enrolment = decide_enrolment(
                enrolment, approve=data.validated_data["approve"], by=request.user
            )
        except LearningError as error:
            _refuse(error)
        return Response(self.get_serializer(enrolment).data)

    @extend_schema(request=None, responses={200: EnrolmentSerializer})
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        enrolment = self.get_object()
        try:
            enrolment = cancel_enrolment(enrolment, by=request.user)
        except LearningError as error:
            _refuse(error)
        return Response(self.get_serializer(enrolment).data)


class SubmissionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """A participant's own work and grades; a tutor's runs' work; a secretariat's courses' work."""

    serializer_class = SubmissionSerializer
    permission_classes = [permissions.IsAuthenticated]
    filterset_fields = ["assignment"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Submission.objects.none()
        user = self.request.user
        if is_superuser(user):
            shown = Q()
        else:
            shown = (
                Q(enrolment__user=user)
                | Q(enrolment__run__tutors=user)
                | Q(enrolment__run__course__in=_managed_course_ids(user))
            )
        submissions = Submission.objects.filter(shown).distinct()
        if run := self.request.query_params.get("run"):
            if not run.isdigit():
                raise serializers.ValidationError({"run": "A run's number."})
            submissions = submissions.filter(enrolment__run_id=int(run))
        return submissions.select_related("enrolment__user").order_by("created_at", "pk")

    @extend_schema(
        request=GradeSerializer,
        responses={
            200: SubmissionSerializer,
            404: OpenApiResponse(
                ErrorSerializer, description="No such work, or not of a run this user teaches."
            ),
        },
    )
    @action(detail=True, methods=["post"])
    def grade(self, request, pk=None):
        """Grade the work out of 100, with feedback (a tutor of its run, or the secretariat)."""
        submission = self.get_object()
        data = GradeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            submission = grade_submission(submission, by=request.user, **data.validated_data)
        except LearningError as error:
            if submission.enrolment.user_id == request.user.pk:
                _refuse(error)
            raise Http404 from error
        return Response(self.get_serializer(submission).data)


_LOOK_UP = object()


def certificate_data(certificate: CourseCertificate, code=_LOOK_UP) -> dict:
    if code is _LOOK_UP:
        code = certificate_code(certificate)
    return {
        "id": certificate.pk,
        "enrolment": certificate.enrolment_id,
        "course": certificate.enrolment.run.course.slug,
        "language": certificate.language,
        "hours": certificate.hours,
        "credits": certificate.credits,
        "grade": certificate.grade,
        "issued_at": certificate.issued_at,
        "code": code.shown if code else "",
        "revoked": bool(code and code.is_revoked),
        "verify_url": code.public_url() if code else "",
        "pdf_url": reverse("learning:certificate-download", args=[certificate.pk]),
    }


class CertificateViewSet(viewsets.GenericViewSet):
    """One's own certificates and those of the courses one's network runs; issuing checks on the
    server that the participant completed the run, whoever asks."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = CourseCertificateSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return CourseCertificate.objects.none()
        user = self.request.user
        shown = (
            Q()
            if is_superuser(user)
            else (Q(enrolment__user=user) | Q(enrolment__run__course__in=_managed_course_ids(user)))
        )
        return CourseCertificate.objects.filter(shown).select_related("enrolment__run__course")

    @extend_schema(responses=CourseCertificateSerializer(many=True))
    def list(self, request):
        page = self.paginate_queryset(self.get_queryset().order_by("-issued_at", "pk"))
        # The page's codes in one query, not one per certificate.
        codes = {
            code.object_id: code
            for code in VerificationCode.objects.filter(
                kind=CERTIFICATE_KIND, object_id__in=[str(c.pk) for c in page]
            )
        }
        rows = [certificate_data(c, codes.get(str(c.pk))) for c in page]
        return self.get_paginated_response(CourseCertificateSerializer(rows, many=True).data)

    @extend_schema(responses=CourseCertificateSerializer)
    def retrieve(self, request, pk=None):
        return Response(CourseCertificateSerializer(certificate_data(self.get_object())).data)

    @extend_schema(
        request=CourseCertificateIssueSerializer,
        responses={
            201: CourseCertificateSerializer,
            404: OpenApiResponse(
                ErrorSerializer, description="No such enrolment in a course this user runs."
            ),
        },
    )
    def create(self, request):
        """Issue a participant's certificate (the course's secretariat; once)."""
        data = CourseCertificateIssueSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        enrolment = (
            Enrolment.objects.select_related("run__course__network")
            .filter(pk=data.validated_data["enrolment"])
            .first()
        )
        if enrolment is None or not can_manage_course(request.user, enrolment.run.course):
            raise Http404
        try:
            certificate = issue_certificate(enrolment, by=request.user)
        except LearningError as error:
            _refuse(error)
        return Response(
            CourseCertificateSerializer(certificate_data(certificate)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=RevocationSerializer, responses={200: CourseCertificateSerializer})
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        """Revoke a certificate with a reason, shown on the public verification page."""
        certificate = self.get_object()
        if not can_manage_course(request.user, certificate.enrolment.run.course):
            raise Http404
        data = RevocationSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            revoke_certificate(certificate, by=request.user, reason=data.validated_data["reason"])
        except (LearningError, VerificationError) as error:
            _refuse(error)
        return Response(CourseCertificateSerializer(certificate_data(certificate)).data)
