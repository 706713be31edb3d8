"""Serializers of impact evaluation: rubrics, rounds, one's assessments and public profiles."""

from rest_framework import serializers

from municipia.surveys.impact.models import Assessment, Criterion, Level, Round, Rubric


class ImpactLevelSerializer(serializers.ModelSerializer):
    class Meta:
        model = Level
        fields = ["score", "description"]


class ImpactCriterionSerializer(serializers.ModelSerializer):
    levels = ImpactLevelSerializer(many=True, read_only=True)

    class Meta:
        model = Criterion
        fields = ["code", "name", "description", "weight", "position", "levels"]


class ImpactRubricSerializer(serializers.ModelSerializer):
    network = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    criteria = ImpactCriterionSerializer(many=True, read_only=True)
    previous = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Rubric
        fields = [
            "id",
            "network",
            "title",
            "description",
            "original_language",
            "number",
            "previous",
            "criteria",
        ]


class ImpactRoundSerializer(serializers.ModelSerializer):
    class Meta:
        model = Round
        fields = ["id", "rubric", "name", "phase", "status", "closes_on"]


class ImpactAssessmentSerializer(serializers.ModelSerializer):
    scores = serializers.SerializerMethodField()

    class Meta:
        model = Assessment
        fields = [
            "id",
            "round",
            "experience",
            "kind",
            "status",
            "comment",
            "submitted_at",
            "scores",
        ]

    def get_scores(self, obj) -> dict[str, int]:
        return {score.criterion.code: score.value for score in obj.scores.all()}


class ImpactStartAssessmentSerializer(serializers.Serializer):
    round = serializers.IntegerField()
    experience = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=Assessment.Kind.choices)


class ImpactScoresSerializer(serializers.Serializer):
    scores = serializers.DictField(
        child=serializers.IntegerField(min_value=0, max_value=1000),
        help_text="{criterion code: the score of the level chosen}.",
    )
    comment = serializers.CharField(required=False, allow_blank=True, max_length=10_000)
    submit = serializers.BooleanField(
        default=False, help_text="Every criterion must then have a level; no change after."
    )


class ImpactSeriesSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Assessment.Kind.choices)
    phase = serializers.ChoiceField(choices=Round.Phase.choices)
    assessments = serializers.IntegerField(source="count")
    means = serializers.DictField(
        child=serializers.DecimalField(max_digits=6, decimal_places=2),
        help_text="{criterion code: mean score}.",
    )


class ImpactProfileSerializer(serializers.Serializer):
    experience = serializers.IntegerField()
    rubric = serializers.IntegerField(allow_null=True)
    assessments = serializers.IntegerField()
    shown = serializers.BooleanField(help_text="False below the rubric's threshold: no series.")
    series = ImpactSeriesSerializer(many=True)
