"""Serializers of questionnaires: their questions, people to invite, answers and results."""

from django.conf import settings
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from municipia.api.serializers.forms import FormFieldSerializer
from municipia.forms.models import FormField
from municipia.surveys.models import Questionnaire


class QuestionSerializer(FormFieldSerializer):
    class Meta(FormFieldSerializer.Meta):
        model = FormField
        fields = [
            *FormFieldSerializer.Meta.fields,
            "min_value",
            "max_value",
            "allow_other",
            "items",
            "condition",
        ]


class QuestionnaireSerializer(serializers.ModelSerializer):
    network = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    version = serializers.SerializerMethodField()
    questions = serializers.SerializerMethodField()

    class Meta:
        model = Questionnaire
        fields = [
            "id",
            "network",
            "title",
            "intro",
            "original_language",
            "status",
            "is_template",
            "anonymous",
            "public",
            "closes_on",
            "target_kind",
            "target_id",
            "version",
            "questions",
        ]

    def get_version(self, obj) -> int:
        return obj.current.number

    @extend_schema_field(QuestionSerializer(many=True))
    def get_questions(self, obj) -> list[dict]:
        return QuestionSerializer(obj.current_fields, many=True).data


class InviteeSerializer(serializers.Serializer):
    email = serializers.EmailField()
    name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    language = serializers.ChoiceField(choices=settings.LANGUAGES, required=False, default="")


class InviteSerializer(serializers.Serializer):
    people = InviteeSerializer(many=True, max_length=5000)


class InvitedSerializer(serializers.Serializer):
    invited = serializers.IntegerField()


class AnswersSerializer(serializers.Serializer):
    answers = serializers.DictField(
        child=serializers.CharField(allow_blank=True, max_length=50_000),
        help_text="{question id: answer}, answers written as the form builder keeps them "
        '(several choices one per line, "item=point" lines for a matrix, "option=rank" for a '
        'ranking, "other:" and the text for an answer of one\'s own).',
    )


class AnswerFormSerializer(serializers.Serializer):
    title = serializers.CharField()
    anonymous = serializers.BooleanField()
    answered = serializers.BooleanField()
    open = serializers.BooleanField()
    questions = QuestionSerializer(many=True)


class RowSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    percent = serializers.IntegerField()


class ItemResultSerializer(serializers.Serializer):
    label = serializers.CharField()
    mean = serializers.DecimalField(max_digits=16, decimal_places=4, allow_null=True)
    rows = RowSerializer(many=True)


class QuestionResultSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="field.pk")
    kind = serializers.CharField(source="field.kind")
    label = serializers.CharField(source="field.label_text")
    answered = serializers.IntegerField()
    mean = serializers.DecimalField(max_digits=16, decimal_places=4, allow_null=True)
    nps = serializers.IntegerField(allow_null=True)
    rows = RowSerializer(many=True)
    items = ItemResultSerializer(many=True)
    texts = serializers.ListField(child=serializers.CharField())
    others = serializers.ListField(child=serializers.CharField())


class ResultsSerializer(serializers.Serializer):
    version = serializers.IntegerField(source="version.number")
    responses = serializers.IntegerField()
    threshold = serializers.IntegerField()
    shown = serializers.BooleanField()
    questions = QuestionResultSerializer(many=True)
