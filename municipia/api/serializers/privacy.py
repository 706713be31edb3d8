from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from municipia.privacy.models import DataExport, PrivacyRequest


class DataExportSerializer(serializers.ModelSerializer):
    pdf_url = serializers.SerializerMethodField(help_text=_("Download, by its owner or staff."))
    json_url = serializers.SerializerMethodField(help_text=_("Download, by its owner or staff."))

    class Meta:
        model = DataExport
        fields = ["id", "created_at", "pdf_url", "json_url"]

    def get_pdf_url(self, export) -> str:
        return reverse("privacy:export-download", args=[export.pk, "pdf"])

    def get_json_url(self, export) -> str:
        return reverse("privacy:export-download", args=[export.pk, "json"])


class PrivacyRequestSerializer(serializers.ModelSerializer):
    is_overdue = serializers.BooleanField(read_only=True)
    exports = serializers.SerializerMethodField()

    class Meta:
        model = PrivacyRequest
        fields = [
            "id",
            "kind",
            "details",
            "network",
            "status",
            "received_at",
            "due_on",
            "is_overdue",
            "answer",
            "answered_at",
            "exports",
        ]
        read_only_fields = ["status", "received_at", "due_on", "answer", "answered_at"]

    @extend_schema_field(DataExportSerializer(many=True))
    def get_exports(self, request):
        ready = [e for e in request.exports.all() if e.is_ready]
        return DataExportSerializer(ready, many=True).data


class StaffRequestSerializer(PrivacyRequestSerializer):
    user_email = serializers.CharField(source="user.email", read_only=True)

    class Meta(PrivacyRequestSerializer.Meta):
        fields = [*PrivacyRequestSerializer.Meta.fields, "user_email"]
        read_only_fields = PrivacyRequestSerializer.Meta.fields


class AnswerSerializer(serializers.Serializer):
    # Done or refused (an answer cannot leave the request open: the service refuses it).
    status = serializers.ChoiceField(choices=PrivacyRequest.Status.choices)
    answer = serializers.CharField(max_length=5000)


class JobStartedSerializer(serializers.Serializer):
    job = serializers.IntegerField()
    progress_url = serializers.CharField()


class ErasureItemSerializer(serializers.Serializer):
    model = serializers.CharField()
    name = serializers.CharField()
    count = serializers.IntegerField()
    action = serializers.ChoiceField(choices=["delete", "anonymise", "keep"])
    reason = serializers.CharField()


class ErasurePreviewSerializer(serializers.Serializer):
    can_erase_now = serializers.BooleanField()
    blockers = serializers.ListField(child=serializers.CharField())
    items = ErasureItemSerializer(many=True)
