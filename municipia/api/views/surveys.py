"""Questionnaires through the API: staff read their network's questionnaires and results, invite
and send; a person answers by the secret of their personal link. The same services as the pages."""

from django.db.models import Prefetch
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from municipia.api.schema import ErrorSerializer
from municipia.api.serializers.surveys import (
    AnswerFormSerializer,
    AnswersSerializer,
    InvitedSerializer,
    InviteSerializer,
    QuestionnaireSerializer,
    ResultsSerializer,
)
from municipia.surveys import services
from municipia.surveys.models import QuestionnaireVersion
from municipia.surveys.models import Response as SurveyResponse
from municipia.surveys.permissions import managed_questionnaires
from municipia.surveys.results import results


def _refuse(error: services.SurveyError):
    raise serializers.ValidationError({"detail": str(error)}) from error


class QuestionnaireViewSet(viewsets.ReadOnlyModelViewSet):
    """The questionnaires of the networks one works for, with their current questions."""

    serializer_class = QuestionnaireSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        return (
            managed_questionnaires(self.request.user)
            .select_related("network")
            .prefetch_related(
                Prefetch(
                    "versions",
                    queryset=QuestionnaireVersion.objects.select_related("form")
                    .prefetch_related("form__fields")
                    .order_by("-number"),
                )
            )
            .order_by("-created_at")
        )

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        for questionnaire in page if page is not None else queryset:
            questionnaire.current = questionnaire.versions.all()[0]
            questionnaire.current_fields = list(questionnaire.current.form.fields.all())
        return page

    def get_object(self):
        questionnaire = super().get_object()
        questionnaire.current = questionnaire.versions.all()[0]
        questionnaire.current_fields = list(questionnaire.current.form.fields.all())
        return questionnaire

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "version", int, description=_("Version number; the latest by default.")
            )
        ],
        responses={200: ResultsSerializer},
    )
    @action(detail=True)
    def results(self, request, pk=None):
        """Aggregated results of one version; nothing below the questionnaire's threshold."""
        questionnaire = self.get_object()
        version = questionnaire.current
        wanted = request.query_params.get("version")
        if wanted:
            version = next(
                (v for v in questionnaire.versions.all() if str(v.number) == wanted), None
            )
            if version is None:
                raise Http404
        return Response(ResultsSerializer(results(version)).data)

    @extend_schema(request=None, responses={200: QuestionnaireSerializer})
    @action(detail=True, methods=["post"])
    def send(self, request, pk=None):
        """Open the questionnaire and send the personal links (in batches, in a task)."""
        questionnaire = self.get_object()
        try:
            services.open_questionnaire(questionnaire, by=request.user)
        except services.SurveyError as error:
            _refuse(error)
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(request=InviteSerializer, responses={201: InvitedSerializer})
    @action(detail=True, methods=["post"])
    def invite(self, request, pk=None):
        """Invite people by e-mail address; an address already invited is skipped."""
        questionnaire = self.get_object()
        data = InviteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        people = [
            (None, p["email"], p["name"], p["language"]) for p in data.validated_data["people"]
        ]
        invited = services.invite(questionnaire, people, by=request.user)
        return Response({"invited": invited}, status=status.HTTP_201_CREATED)


class AnswerView(APIView):
    """Answer a questionnaire by the secret of one's personal link (no login needed)."""

    permission_classes = [permissions.AllowAny]

    def _invitation(self, token):
        invitation = services.invitation_for_token(token)
        if invitation is None:
            raise Http404
        return invitation

    @extend_schema(responses={200: AnswerFormSerializer})
    def get(self, request, token):
        invitation = self._invitation(token)
        questionnaire = invitation.questionnaire
        fields = services.questions(services.current_version(questionnaire))
        return Response(
            AnswerFormSerializer(
                {
                    "title": questionnaire.title_text,
                    "anonymous": questionnaire.anonymous,
                    "answered": invitation.used,
                    "open": services.is_open(questionnaire),
                    "questions": fields,
                }
            ).data
        )

    @extend_schema(
        request=AnswersSerializer,
        responses={
            201: OpenApiResponse(description=_("The answers are kept.")),
            400: OpenApiResponse(
                ErrorSerializer, description=_("Refused, with a message per question.")
            ),
        },
    )
    def post(self, request, token):
        invitation = self._invitation(token)
        data = AnswersSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        # Refusals speak the person's language, as the e-mail that brought them here did.
        with translation.override(invitation.language):
            return self._submit(invitation, data.validated_data["answers"])

    def _submit(self, invitation, answers):
        try:
            services.submit_response(
                invitation.questionnaire,
                answers=answers,
                language=invitation.language,
                via=SurveyResponse.Via.PERSONAL,
                invitation=invitation,
                user=invitation.user,
            )
        except services.AnswersRefused as error:
            raise serializers.ValidationError(
                {"detail": str(error), "answers": error.problems}
            ) from error
        except services.SurveyError as error:
            _refuse(error)
        return Response(status=status.HTTP_201_CREATED)
