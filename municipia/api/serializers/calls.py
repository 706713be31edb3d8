from rest_framework import serializers

from municipia.api.fields import ZonedDateTimeField
from municipia.api.serializers.forms import FormFieldSerializer
from municipia.calls.models import (
    Application,
    Assignment,
    Call,
    Criterion,
    FormField,
    Review,
)


class CriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Criterion
        fields = [
            "id",
            "position",
            "name",
            "description",
            "weight",
            "scale_min",
            "scale_max",
            "guidance",
        ]


class CallSerializer(serializers.ModelSerializer):
    network = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    is_open = serializers.BooleanField(read_only=True)
    countries = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    fields = FormFieldSerializer(many=True, read_only=True)
    criteria = CriterionSerializer(many=True, read_only=True)
    opens_at = ZonedDateTimeField(zone="time_zone")
    closes_at = ZonedDateTimeField(zone="time_zone")
    results_published_at = ZonedDateTimeField(zone="time_zone", allow_null=True)

    class Meta:
        model = Call
        fields = [
            "slug",
            "network",
            "kind",
            "title",
            "description",
            "languages",
            "status",
            "is_open",
            "time_zone",
            "opens_at",
            "closes_at",
            "applicants",
            "requires_good_standing",
            "categories",
            "countries",
            "min_population",
            "max_population",
            "one_per_member",
            "blind_review",
            "reviewers_per_application",
            "currency",
            "results_published_at",
            "fields",
            "criteria",
        ]


class ApplicationSerializer(serializers.ModelSerializer):
    call = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    local_government = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    time_zone = serializers.CharField(source="call.time_zone", read_only=True)
    submitted_at = ZonedDateTimeField(zone="call.time_zone", allow_null=True)
    withdrawn_at = ZonedDateTimeField(zone="call.time_zone", allow_null=True)

    class Meta:
        model = Application
        fields = [
            "id",
            "code",
            "call",
            "local_government",
            "organisation",
            "language",
            "title",
            "answers",
            "status",
            "time_zone",
            "submitted_at",
            "withdrawn_at",
            "returned_note",
        ]


class ApplicationDraftSerializer(ApplicationSerializer):
    """An application after a change, with what still keeps it from being submitted."""

    problems = serializers.DictField(child=serializers.CharField(), read_only=True)

    class Meta(ApplicationSerializer.Meta):
        fields = [*ApplicationSerializer.Meta.fields, "problems"]


class ApplicationStartSerializer(serializers.Serializer):
    call = serializers.SlugField()
    local_government = serializers.SlugField(required=False)
    organisation = serializers.SlugField(required=False)
    language = serializers.CharField(max_length=10)
    title = serializers.CharField(max_length=250)

    def validate(self, attrs):
        if bool(attrs.get("local_government")) == bool(attrs.get("organisation")):
            raise serializers.ValidationError(
                "Name the applicant: a local government or an organisation."
            )
        return attrs


class ApplicationAnswersSerializer(serializers.Serializer):
    """A change to a draft: any of the answers (by question key), its title, its language."""

    answers = serializers.DictField(child=serializers.CharField(allow_blank=True), default=dict)
    title = serializers.CharField(max_length=250, required=False)
    language = serializers.CharField(max_length=10, required=False)


class BlindApplicationSerializer(serializers.ModelSerializer):
    """What a juror sees: never who applied."""

    call = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    answers = serializers.SerializerMethodField()

    class Meta:
        model = Application
        fields = ["code", "call", "language", "title", "answers"]

    def get_answers(self, application) -> dict[str, str]:
        shown = {
            field.key
            for field in application.call.fields.all()
            if field.visible_to_jury and field.kind != FormField.Kind.FILE
        }
        return {key: value for key, value in application.answers.items() if key in shown}


class OpenApplicationSerializer(BlindApplicationSerializer):
    local_government = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta(BlindApplicationSerializer.Meta):
        fields = [*BlindApplicationSerializer.Meta.fields, "local_government", "organisation"]


class ReviewSerializer(serializers.ModelSerializer):
    """One assignment of the requesting juror, with their own review of it."""

    application = serializers.SerializerMethodField()
    review_status = serializers.SerializerMethodField()
    scores = serializers.SerializerMethodField()
    comment = serializers.SerializerMethodField()

    class Meta:
        model = Assignment
        fields = ["id", "application", "review_status", "scores", "comment"]

    def _review(self, assignment) -> Review | None:
        try:
            return assignment.review
        except Review.DoesNotExist:
            return None

    def get_application(self, assignment) -> dict:
        serializer = (
            BlindApplicationSerializer
            if assignment.application.call.blind_review
            else OpenApplicationSerializer
        )
        return serializer(assignment.application).data

    def get_review_status(self, assignment) -> str | None:
        review = self._review(assignment)
        return review.status if review else None

    def get_scores(self, assignment) -> dict[str, dict]:
        review = self._review(assignment)
        if review is None:
            return {}
        return {
            str(score.criterion_id): {"value": score.value, "comment": score.comment}
            for score in review.scores.all()
        }

    def get_comment(self, assignment) -> str:
        review = self._review(assignment)
        return review.comment if review else ""


class ScoresInputSerializer(serializers.Serializer):
    scores = serializers.DictField(child=serializers.CharField(allow_blank=True))
    comments = serializers.DictField(child=serializers.CharField(allow_blank=True), required=False)
    comment = serializers.CharField(allow_blank=True, required=False, default="")
    submit = serializers.BooleanField(required=False, default=False)
