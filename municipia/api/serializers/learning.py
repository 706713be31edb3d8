from django.urls import reverse
from rest_framework import serializers

from municipia.learning.models import Course, CourseRun, Enrolment, Submission


class CourseSerializer(serializers.ModelSerializer):
    network = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    partner_university = serializers.SlugRelatedField(slug_field="name", read_only=True)
    title = serializers.SerializerMethodField()
    description = serializers.SerializerMethodField()
    translations = serializers.SerializerMethodField(
        help_text="The languages the title and description are written in."
    )

    class Meta:
        model = Course
        fields = [
            "id",
            "slug",
            "network",
            "title",
            "description",
            "original_language",
            "translations",
            "languages",
            "audience",
            "hours",
            "level",
            "partner_university",
            "credits",
            "is_published",
        ]

    def get_title(self, course) -> str:
        return course.title

    def get_description(self, course) -> str:
        return course.description

    def get_translations(self, course) -> list[str]:
        return sorted(t.language for t in course.translations.all())


class RunSerializer(serializers.ModelSerializer):
    course = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    tutors = serializers.SerializerMethodField()
    questionnaire = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = CourseRun
        fields = [
            "id",
            "course",
            "name",
            "starts_on",
            "ends_on",
            "mode",
            "place",
            "capacity",
            "requires_approval",
            "is_open",
            "min_grade",
            "min_attendance",
            "questionnaire",
            "tutors",
        ]

    def get_tutors(self, run) -> list[str]:
        return [tutor.get_full_name() or tutor.full_name for tutor in run.tutors.all()]


class EnrolmentSerializer(serializers.ModelSerializer):
    participant = serializers.CharField(source="participant_name", read_only=True)
    certificate = serializers.SerializerMethodField()

    class Meta:
        model = Enrolment
        fields = ["id", "run", "participant", "status", "language", "created_at", "certificate"]
        read_only_fields = fields

    def get_certificate(self, enrolment) -> int | None:
        certificate = getattr(enrolment, "certificate", None)
        return certificate.pk if certificate else None


class EnrolmentCreateSerializer(serializers.Serializer):
    run = serializers.IntegerField()
    language = serializers.CharField(required=False, allow_blank=True)


class DecisionSerializer(serializers.Serializer):
    approve = serializers.BooleanField()


class SubmissionSerializer(serializers.ModelSerializer):
    run = serializers.IntegerField(source="enrolment.run_id", read_only=True)
    participant = serializers.CharField(source="enrolment.participant_name", read_only=True)
    file_url = serializers.SerializerMethodField()

    class Meta:
        model = Submission
        fields = [
            "id",
            "run",
            "assignment",
            "participant",
            "filename",
            "created_at",
            "grade",
            "feedback",
            "graded_at",
            "file_url",
        ]
        read_only_fields = fields

    def get_file_url(self, submission) -> str:
        return reverse("learning:submission-download", args=[submission.pk])


class GradeSerializer(serializers.Serializer):
    grade = serializers.DecimalField(max_digits=5, decimal_places=1, min_value=0, max_value=100)
    feedback = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class CourseCertificateSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    enrolment = serializers.IntegerField()
    course = serializers.CharField()
    language = serializers.CharField()
    hours = serializers.DecimalField(max_digits=6, decimal_places=1)
    credits = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)
    grade = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)
    issued_at = serializers.DateTimeField()
    code = serializers.CharField()
    revoked = serializers.BooleanField()
    verify_url = serializers.CharField()
    pdf_url = serializers.CharField()


class CourseCertificateIssueSerializer(serializers.Serializer):
    enrolment = serializers.IntegerField()


class RevocationSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=1000)
