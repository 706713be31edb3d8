"""Plans in the API: read serializers, and explicit input serializers whose data go to services."""

from rest_framework import serializers

from municipia.directory.models import LocalGovernment, Network
from municipia.plans.models import (
    SDG_TARGET_PATTERN,
    Activity,
    ActivityLink,
    ConsultationComment,
    Indicator,
    IndicatorValue,
    Objective,
    Plan,
    ProgressUpdate,
    Section,
)
from municipia.plans.permissions import can_see_comment_text


class PlanSerializer(serializers.ModelSerializer):
    network = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    local_government = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    is_consultation_open = serializers.BooleanField(read_only=True)
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Plan
        fields = [
            "id",
            "slug",
            "title",
            "title_translations",
            "summary",
            "kind",
            "status",
            "network",
            "local_government",
            "starts_on",
            "ends_on",
            "languages",
            "levels",
            "currency",
            "adopted_on",
            "is_published",
            "published_at",
            "consultation_opens_at",
            "consultation_closes_at",
            "is_consultation_open",
            "last_committee_on",
            "url",
        ]


class PlanCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=300)
    kind = serializers.ChoiceField(choices=Plan.Kind.choices, default=Plan.Kind.ACTION_PLAN)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    languages = serializers.ListField(child=serializers.CharField(max_length=10), min_length=1)
    summary = serializers.CharField(required=False, allow_blank=True, default="")
    network = serializers.SlugRelatedField(
        slug_field="slug", queryset=Network.objects.all(), required=False, allow_null=True
    )
    local_government = serializers.SlugRelatedField(
        slug_field="slug", queryset=LocalGovernment.objects.all(), required=False, allow_null=True
    )


class PlanUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=300, required=False)
    title_translations = serializers.DictField(child=serializers.CharField(), required=False)
    summary = serializers.CharField(required=False, allow_blank=True)
    kind = serializers.ChoiceField(choices=Plan.Kind.choices, required=False)
    starts_on = serializers.DateField(required=False)
    ends_on = serializers.DateField(required=False)
    languages = serializers.ListField(
        child=serializers.CharField(max_length=10), min_length=1, required=False
    )
    last_committee_on = serializers.DateField(required=False, allow_null=True)
    levels = serializers.ListField(
        child=serializers.DictField(child=serializers.CharField(max_length=100)),
        required=False,
        help_text="The levels' names, top to activities, each per language code; as many as "
        "the plan has.",
    )
    currency = serializers.CharField(max_length=3, required=False, allow_blank=True)


class OpenConsultationSerializer(serializers.Serializer):
    closes_at = serializers.DateTimeField()


class SectionSerializer(serializers.ModelSerializer):
    plan = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Section
        fields = [
            "id",
            "plan",
            "parent",
            "level",
            "position",
            "title",
            "title_translations",
            "description",
        ]


class SectionInputSerializer(serializers.Serializer):
    plan = serializers.SlugField(required=False)
    parent = serializers.IntegerField(required=False, allow_null=True)
    title = serializers.CharField(required=False)
    title_translations = serializers.DictField(child=serializers.CharField(), required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    position = serializers.IntegerField(min_value=0, required=False)


class ObjectiveSerializer(serializers.ModelSerializer):
    plan = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Objective
        fields = ["id", "plan", "section", "position", "title", "title_translations", "description"]


class ObjectiveInputSerializer(serializers.Serializer):
    plan = serializers.SlugField(required=False)
    section = serializers.IntegerField(required=False, allow_null=True)
    title = serializers.CharField(required=False)
    title_translations = serializers.DictField(child=serializers.CharField(), required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    position = serializers.IntegerField(min_value=0, required=False)


class ActivityLinkSerializer(serializers.ModelSerializer):
    content_type = serializers.SerializerMethodField()

    class Meta:
        model = ActivityLink
        fields = ["id", "kind", "title", "url", "content_type", "object_id"]

    def get_content_type(self, link) -> str | None:
        if link.content_type_id is None:
            return None
        return f"{link.content_type.app_label}.{link.content_type.model}"


class ActivitySerializer(serializers.ModelSerializer):
    responsible_network = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    links = ActivityLinkSerializer(many=True, read_only=True)
    is_overdue = serializers.SerializerMethodField()

    class Meta:
        model = Activity
        fields = [
            "id",
            "objective",
            "position",
            "description",
            "responsible",
            "responsible_network",
            "starts_on",
            "ends_on",
            "status",
            "drop_reason",
            "progress",
            "budget",
            "sdg_targets",
            "is_overdue",
            "links",
        ]

    def get_is_overdue(self, activity) -> bool:
        return activity.is_overdue()


def _validate_sdg(codes: list[str]) -> list[str]:
    wrong = [c for c in codes if not SDG_TARGET_PATTERN.match(c)]
    if wrong:
        raise serializers.ValidationError(f"not SDG target codes: {', '.join(wrong)}")
    return codes


class ActivityInputSerializer(serializers.Serializer):
    objective = serializers.IntegerField(required=False)
    description = serializers.CharField(required=False)
    responsible = serializers.CharField(max_length=200, required=False, allow_blank=True)
    responsible_network = serializers.SlugRelatedField(
        slug_field="slug", queryset=Network.objects.all(), required=False, allow_null=True
    )
    starts_on = serializers.DateField(required=False, allow_null=True)
    ends_on = serializers.DateField(required=False, allow_null=True)
    status = serializers.ChoiceField(choices=Activity.Status.choices, required=False)
    drop_reason = serializers.CharField(required=False, allow_blank=True)
    sdg_targets = serializers.ListField(
        child=serializers.CharField(max_length=5), required=False, validators=[_validate_sdg]
    )
    position = serializers.IntegerField(min_value=0, required=False)
    budget = serializers.DecimalField(
        max_digits=16, decimal_places=2, required=False, allow_null=True
    )


class LinkInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ActivityLink.Kind.choices)
    title = serializers.CharField(max_length=300)
    url = serializers.URLField()


class IndicatorValueSerializer(serializers.ModelSerializer):
    class Meta:
        model = IndicatorValue
        fields = ["measured_on", "value", "note"]


class IndicatorSerializer(serializers.ModelSerializer):
    plan = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    values = IndicatorValueSerializer(many=True, read_only=True)

    class Meta:
        model = Indicator
        fields = [
            "id",
            "plan",
            "objective",
            "activity",
            "name",
            "unit",
            "baseline",
            "target",
            "target_on",
            "notes",
            "values",
        ]


class IndicatorInputSerializer(serializers.Serializer):
    plan = serializers.SlugField(required=False)
    objective = serializers.IntegerField(required=False, allow_null=True)
    activity = serializers.IntegerField(required=False, allow_null=True)
    name = serializers.CharField(max_length=300, required=False)
    unit = serializers.CharField(max_length=50, required=False)
    baseline = serializers.DecimalField(max_digits=14, decimal_places=2, required=False)
    target = serializers.DecimalField(max_digits=14, decimal_places=2, required=False)
    target_on = serializers.DateField(required=False, allow_null=True)
    notes = serializers.CharField(required=False, allow_blank=True)


class ProgressUpdateSerializer(serializers.ModelSerializer):
    author = serializers.SerializerMethodField()

    class Meta:
        model = ProgressUpdate
        fields = [
            "id",
            "activity",
            "reported_on",
            "text",
            "percentage",
            "evidence_url",
            "evidence_file",
            "author",
        ]

    def get_author(self, update) -> str | None:
        return update.author.get_full_name() if update.author_id else None


class ProgressInputSerializer(serializers.Serializer):
    activity = serializers.IntegerField()
    reported_on = serializers.DateField()
    text = serializers.CharField()
    percentage = serializers.IntegerField(min_value=0, max_value=100)
    evidence_url = serializers.URLField(required=False, allow_blank=True, default="")
    evidence_file = serializers.FileField(required=False, allow_null=True, default=None)


class ConsultationCommentSerializer(serializers.ModelSerializer):
    plan = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    author = serializers.SerializerMethodField()
    text = serializers.SerializerMethodField()

    class Meta:
        model = ConsultationComment
        fields = [
            "id",
            "plan",
            "objective",
            "kind",
            "author",
            "on_behalf_of",
            "text",
            "is_hidden",
            "hidden_reason",
            "support_count",
            "answer",
            "answer_text",
            "activity",
            "created_at",
        ]

    def get_author(self, comment) -> str:
        return comment.author.full_name or ""

    def get_text(self, comment) -> str | None:
        """A hidden comment's text goes to the plan's moderators only."""
        request = self.context.get("request")
        user = request.user if request else None
        if user is not None and can_see_comment_text(user, comment):
            return comment.text
        return None


class CommentInputSerializer(serializers.Serializer):
    objective = serializers.IntegerField()
    kind = serializers.ChoiceField(
        choices=ConsultationComment.Kind.choices, default=ConsultationComment.Kind.COMMENT
    )
    text = serializers.CharField(max_length=5000)
    on_behalf_of = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )


class HideInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class AnswerInputSerializer(serializers.Serializer):
    answer = serializers.ChoiceField(
        choices=[
            c for c in ConsultationComment.Answer.values if c != ConsultationComment.Answer.PENDING
        ]
    )
    text = serializers.CharField(required=False, allow_blank=True, default="")
    activity = serializers.IntegerField(required=False, allow_null=True)
