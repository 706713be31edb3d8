"""Plans, their sections (levels above the objectives), objectives, activities, indicators, progress updates and consultation comments.

Reads show what `Plan.objects.visible_to(user)` allows; every write goes through
`municipia.plans.services`, after the same permission questions the pages ask.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from municipia.api.caching import ConditionalReadMixin
from municipia.api.serializers.plans import (
    ActivityInputSerializer,
    ActivitySerializer,
    AnswerInputSerializer,
    CommentInputSerializer,
    ConsultationCommentSerializer,
    HideInputSerializer,
    IndicatorInputSerializer,
    IndicatorSerializer,
    IndicatorValueSerializer,
    LinkInputSerializer,
    ObjectiveInputSerializer,
    ObjectiveSerializer,
    OpenConsultationSerializer,
    PlanCreateSerializer,
    PlanSerializer,
    PlanUpdateSerializer,
    ProgressInputSerializer,
    ProgressUpdateSerializer,
    SectionInputSerializer,
    SectionSerializer,
)
from municipia.plans import services
from municipia.plans.models import (
    Activity,
    ConsultationComment,
    Indicator,
    IndicatorValue,
    Objective,
    Plan,
    ProgressUpdate,
    Section,
)
from municipia.plans.permissions import can_create_plan, can_edit_plan, can_moderate
from municipia.plans.services import PlanError


def _call(function, *args, **kwargs):
    try:
        return function(*args, **kwargs)
    except PlanError as error:
        raise serializers.ValidationError({"detail": str(error)}) from error


def _visible_plans(user):
    return Plan.objects.visible_to(user)


def _editable(user, plan: Plan) -> Plan:
    if not can_edit_plan(user, plan):
        raise PermissionDenied
    return plan


def _visible_object(queryset, pk, field: str = "pk"):
    obj = queryset.filter(**{field: pk}).first()
    if obj is None:
        raise serializers.ValidationError({field: "not found"})
    return obj


class PlanViewSet(ConditionalReadMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = PlanSerializer
    lookup_field = "slug"
    filterset_fields = ["kind", "status", "network__slug", "local_government__slug"]
    search_fields = ["title", "summary"]
    ordering_fields = ["starts_on", "title"]

    def get_queryset(self):
        return (
            _visible_plans(self.request.user)
            .select_related("network", "local_government")
            .order_by("-starts_on", "title")
        )

    def next_change(self):
        return Plan.objects.next_consultation_change()

    @extend_schema(request=PlanCreateSerializer, responses=PlanSerializer)
    def create(self, request):
        data = PlanCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        if not can_create_plan(
            request.user,
            network=values.get("network"),
            local_government=values.get("local_government"),
        ):
            raise PermissionDenied
        plan = _call(services.create_plan, by=request.user, **values)
        return Response(PlanSerializer(plan).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=PlanUpdateSerializer, responses=PlanSerializer)
    def partial_update(self, request, slug=None):
        plan = _editable(request.user, self.get_object())
        data = PlanUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        plan = _call(services.update_plan, plan, by=request.user, **data.validated_data)
        return Response(PlanSerializer(plan).data)

    def _transition(self, request, service, **kwargs):
        plan = _editable(request.user, self.get_object())
        plan = _call(service, plan, by=request.user, **kwargs)
        return Response(PlanSerializer(plan).data)

    @extend_schema(request=OpenConsultationSerializer, responses=PlanSerializer)
    @action(detail=True, methods=["post"], url_path="open-consultation")
    def open_consultation(self, request, slug=None):
        data = OpenConsultationSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._transition(request, services.open_consultation, **data.validated_data)

    @extend_schema(request=None, responses=PlanSerializer)
    @action(detail=True, methods=["post"], url_path="close-consultation")
    def close_consultation(self, request, slug=None):
        return self._transition(request, services.close_consultation)

    @extend_schema(request=None, responses=PlanSerializer)
    @action(detail=True, methods=["post"])
    def adopt(self, request, slug=None):
        return self._transition(request, services.adopt_plan)

    @extend_schema(request=None, responses=PlanSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, slug=None):
        return self._transition(request, services.publish_plan)

    @extend_schema(request=None, responses=PlanSerializer)
    @action(detail=True, methods=["post"])
    def unpublish(self, request, slug=None):
        return self._transition(request, services.unpublish_plan)

    @extend_schema(request=None, responses=PlanSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, slug=None):
        return self._transition(request, services.close_plan)


class _PlanChildViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Reads scoped to visible plans; `?plan=<slug>` narrows the list to one plan."""

    plan_path = "plan"

    def filter_plan(self, queryset):
        queryset = queryset.filter(**{f"{self.plan_path}__in": _visible_plans(self.request.user)})
        slug = self.request.query_params.get("plan")
        if slug:
            queryset = queryset.filter(**{f"{self.plan_path}__slug": slug})
        return queryset

    def _plan_for_write(self, slug) -> Plan:
        plan = _visible_object(_visible_plans(self.request.user), slug, "slug")
        return _editable(self.request.user, plan)


class SectionViewSet(_PlanChildViewSet):
    serializer_class = SectionSerializer
    filterset_fields = ["level", "parent"]

    def get_queryset(self):
        return self.filter_plan(Section.objects.select_related("plan")).order_by(
            "plan", "level", "position", "pk"
        )

    def _parent(self, plan: Plan, pk) -> Section | None:
        if pk is None:
            return None
        return _visible_object(plan.sections.all(), pk, "pk")

    @extend_schema(request=SectionInputSerializer, responses=SectionSerializer)
    def create(self, request):
        data = SectionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        if not values.get("title"):
            raise serializers.ValidationError({"title": "required"})
        plan = self._plan_for_write(values.pop("plan", None))
        parent = self._parent(plan, values.pop("parent", None))
        values.pop("position", None)
        values.pop("title_translations", None)
        section = _call(services.add_section, plan, by=request.user, parent=parent, **values)
        return Response(SectionSerializer(section).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=SectionInputSerializer, responses=SectionSerializer)
    def partial_update(self, request, pk=None):
        section = self.get_object()
        _editable(request.user, section.plan)
        data = SectionInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = {k: v for k, v in data.validated_data.items() if k not in ("plan", "parent")}
        section = _call(services.update_section, section, by=request.user, **values)
        return Response(SectionSerializer(section).data)

    def destroy(self, request, pk=None):
        section = self.get_object()
        _editable(request.user, section.plan)
        _call(services.delete_section, section, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ObjectiveViewSet(_PlanChildViewSet):
    serializer_class = ObjectiveSerializer
    filterset_fields = ["section"]

    def get_queryset(self):
        return self.filter_plan(Objective.objects.select_related("plan")).order_by(
            "plan", "position"
        )

    @extend_schema(request=ObjectiveInputSerializer, responses=ObjectiveSerializer)
    def create(self, request):
        data = ObjectiveInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        if not values.get("title"):
            raise serializers.ValidationError({"title": "required"})
        plan = self._plan_for_write(values.pop("plan", None))
        values.pop("position", None)
        values.pop("title_translations", None)
        section_id = values.pop("section", None)
        section = _visible_object(plan.sections.all(), section_id) if section_id else None
        objective = _call(services.add_objective, plan, by=request.user, section=section, **values)
        return Response(ObjectiveSerializer(objective).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ObjectiveInputSerializer, responses=ObjectiveSerializer)
    def partial_update(self, request, pk=None):
        objective = self.get_object()
        _editable(request.user, objective.plan)
        data = ObjectiveInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values.pop("plan", None)
        if "section" in values:
            section_id = values.pop("section")
            values["section"] = (
                _visible_object(objective.plan.sections.all(), section_id) if section_id else None
            )
        objective = _call(services.update_objective, objective, by=request.user, **values)
        return Response(ObjectiveSerializer(objective).data)

    def destroy(self, request, pk=None):
        objective = self.get_object()
        _editable(request.user, objective.plan)
        _call(services.delete_objective, objective, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ActivityViewSet(_PlanChildViewSet):
    serializer_class = ActivitySerializer
    plan_path = "objective__plan"
    filterset_fields = ["status", "objective"]

    def get_queryset(self):
        return self.filter_plan(
            Activity.objects.select_related(
                "objective__plan__network",
                "objective__plan__local_government",
                "responsible_network",
            ).prefetch_related("links__content_type")
        ).order_by("objective__plan", "objective__position", "position", "pk")

    @extend_schema(request=ActivityInputSerializer, responses=ActivitySerializer)
    def create(self, request):
        data = ActivityInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        objective = _visible_object(
            Objective.objects.filter(plan__in=_visible_plans(request.user)).select_related("plan"),
            values.pop("objective", None),
        )
        _editable(request.user, objective.plan)
        if not values.get("description"):
            raise serializers.ValidationError({"description": "required"})
        values.pop("position", None)
        activity = _call(services.add_activity, objective, by=request.user, **values)
        return Response(ActivitySerializer(activity).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ActivityInputSerializer, responses=ActivitySerializer)
    def partial_update(self, request, pk=None):
        activity = self.get_object()
        _editable(request.user, activity.objective.plan)
        data = ActivityInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values.pop("objective", None)
        activity = _call(services.update_activity, activity, by=request.user, **values)
        return Response(ActivitySerializer(activity).data)

    def destroy(self, request, pk=None):
        activity = self.get_object()
        _editable(request.user, activity.objective.plan)
        _call(services.delete_activity, activity, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=LinkInputSerializer, responses={201: ActivitySerializer})
    @action(detail=True, methods=["post"])
    def links(self, request, pk=None):
        activity = self.get_object()
        _editable(request.user, activity.objective.plan)
        data = LinkInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        _call(services.link_activity, activity, by=request.user, **data.validated_data)
        activity = self.get_queryset().get(pk=activity.pk)
        return Response(ActivitySerializer(activity).data, status=status.HTTP_201_CREATED)


class IndicatorViewSet(_PlanChildViewSet):
    serializer_class = IndicatorSerializer

    def get_queryset(self):
        values = IndicatorValue.objects.order_by("measured_on")
        return self.filter_plan(
            Indicator.objects.select_related(
                "plan__network", "plan__local_government"
            ).prefetch_related(Prefetch("values", queryset=values))
        ).order_by("plan", "pk")

    @extend_schema(request=IndicatorInputSerializer, responses=IndicatorSerializer)
    def create(self, request):
        data = IndicatorInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        plan = self._plan_for_write(values.pop("plan", None))
        for name in ("name", "unit", "target"):
            if values.get(name) in (None, ""):
                raise serializers.ValidationError({name: "required"})
        objective_id, activity_id = values.pop("objective", None), values.pop("activity", None)
        objective = plan.objectives.filter(pk=objective_id).first() if objective_id else None
        activity = (
            Activity.objects.for_plan(plan).filter(pk=activity_id).first() if activity_id else None
        )
        indicator = _call(
            services.add_indicator,
            plan,
            by=request.user,
            objective=objective,
            activity=activity,
            **values,
        )
        return Response(IndicatorSerializer(indicator).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=IndicatorInputSerializer, responses=IndicatorSerializer)
    def partial_update(self, request, pk=None):
        indicator = self.get_object()
        _editable(request.user, indicator.plan)
        data = IndicatorInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = {
            k: v
            for k, v in data.validated_data.items()
            if k not in ("plan", "objective", "activity")
        }
        indicator = _call(services.update_indicator, indicator, by=request.user, **values)
        return Response(IndicatorSerializer(indicator).data)

    @extend_schema(request=IndicatorValueSerializer, responses={201: IndicatorValueSerializer})
    @action(detail=True, methods=["post"])
    def values(self, request, pk=None):
        indicator = self.get_object()
        _editable(request.user, indicator.plan)
        data = IndicatorValueSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        value = _call(
            services.record_indicator_value, indicator, by=request.user, **data.validated_data
        )
        return Response(IndicatorValueSerializer(value).data, status=status.HTTP_201_CREATED)


class ProgressUpdateViewSet(_PlanChildViewSet):
    serializer_class = ProgressUpdateSerializer
    plan_path = "activity__objective__plan"
    filterset_fields = ["activity"]

    def get_queryset(self):
        return self.filter_plan(ProgressUpdate.objects.select_related("author")).order_by(
            "-reported_on", "-pk"
        )

    @extend_schema(request=ProgressInputSerializer, responses=ProgressUpdateSerializer)
    def create(self, request):
        data = ProgressInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        activity = _visible_object(
            Activity.objects.filter(
                objective__plan__in=_visible_plans(request.user)
            ).select_related("objective__plan"),
            values.pop("activity"),
        )
        _editable(request.user, activity.objective.plan)
        update = _call(services.record_progress, activity, by=request.user, **values)
        return Response(ProgressUpdateSerializer(update).data, status=status.HTTP_201_CREATED)


class ConsultationCommentViewSet(_PlanChildViewSet):
    serializer_class = ConsultationCommentSerializer
    filterset_fields = ["objective", "kind", "answer"]

    def get_queryset(self):
        return self.filter_plan(
            ConsultationComment.objects.select_related(
                "plan__network", "plan__local_government", "author"
            )
        ).order_by("plan", "objective", "created_at", "pk")

    @extend_schema(request=CommentInputSerializer, responses=ConsultationCommentSerializer)
    def create(self, request):
        data = CommentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        objective = _visible_object(
            Objective.objects.filter(plan__in=_visible_plans(request.user)).select_related("plan"),
            values.pop("objective"),
        )
        comment = _call(services.post_comment, objective.plan, objective, by=request.user, **values)
        return Response(
            ConsultationCommentSerializer(comment, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )

    def _moderated(self, request):
        comment = self.get_object()
        if not can_moderate(request.user, comment.plan):
            raise PermissionDenied
        return comment

    def _respond(self, comment):
        comment.refresh_from_db()
        return Response(self.get_serializer(comment).data)

    @extend_schema(request=None, responses=ConsultationCommentSerializer)
    @action(detail=True, methods=["post"])
    def support(self, request, pk=None):
        comment = self.get_object()
        return self._respond(_call(services.support_comment, comment, by=request.user))

    @extend_schema(request=HideInputSerializer, responses=ConsultationCommentSerializer)
    @action(detail=True, methods=["post"])
    def hide(self, request, pk=None):
        comment = self._moderated(request)
        data = HideInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._respond(
            _call(services.hide_comment, comment, by=request.user, **data.validated_data)
        )

    @extend_schema(request=None, responses=ConsultationCommentSerializer)
    @action(detail=True, methods=["post"])
    def restore(self, request, pk=None):
        comment = self._moderated(request)
        return self._respond(_call(services.restore_comment, comment, by=request.user))

    @extend_schema(request=AnswerInputSerializer, responses=ConsultationCommentSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        comment = self._moderated(request)
        data = AnswerInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        activity_id = values.pop("activity", None)
        activity = (
            Activity.objects.for_plan(comment.plan).filter(pk=activity_id).first()
            if activity_id
            else None
        )
        return self._respond(
            _call(services.answer_proposal, comment, by=request.user, activity=activity, **values)
        )
