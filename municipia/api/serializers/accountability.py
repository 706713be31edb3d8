"""The books, audits and transparency page through the API."""

from rest_framework import serializers

from municipia.accountability.models import Audit, Finding, ManualEntry


class LineSerializer(serializers.Serializer):
    code = serializers.CharField(source="account.code")
    name = serializers.SerializerMethodField()
    kind = serializers.CharField(source="account.kind")
    source = serializers.CharField(source="account.source")
    budget = serializers.DecimalField(max_digits=14, decimal_places=2)
    months = serializers.ListField(
        child=serializers.DecimalField(max_digits=14, decimal_places=2),
        help_text="Actuals of each month, January first.",
    )
    actual = serializers.DecimalField(max_digits=14, decimal_places=2)
    variance = serializers.DecimalField(max_digits=14, decimal_places=2)
    projected = serializers.DecimalField(max_digits=14, decimal_places=2)

    def get_name(self, line) -> str:
        return line.account.display_name()


class SideSerializer(serializers.Serializer):
    lines = LineSerializer(many=True)
    budget = serializers.DecimalField(max_digits=14, decimal_places=2)
    actual = serializers.DecimalField(max_digits=14, decimal_places=2)
    projected = serializers.DecimalField(max_digits=14, decimal_places=2)


class VersionSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    approved_on = serializers.DateField()
    decision = serializers.IntegerField(source="decision_id")
    note = serializers.CharField()


class YearAccountsSerializer(serializers.Serializer):
    network = serializers.CharField(source="network.slug")
    year = serializers.IntegerField()
    currency = serializers.CharField()
    version = VersionSerializer(allow_null=True)
    closed = serializers.BooleanField(source="is_closed")
    income = SideSerializer()
    expenditure = SideSerializer()
    result_budget = serializers.DecimalField(max_digits=14, decimal_places=2)
    result_actual = serializers.DecimalField(max_digits=14, decimal_places=2)
    result_projected = serializers.DecimalField(max_digits=14, decimal_places=2)
    heads_for_deficit = serializers.BooleanField()
    as_of = serializers.DateField()
    missing_rates = serializers.ListField(child=serializers.CharField())


class BudgetLineInputSerializer(serializers.Serializer):
    account = serializers.CharField(help_text="The account's code.")
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)


class BudgetVersionInputSerializer(serializers.Serializer):
    decision = serializers.IntegerField(help_text="The approving decision of a governing body.")
    approved_on = serializers.DateField(required=False)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    lines = BudgetLineInputSerializer(many=True, allow_empty=False)


class ManualEntrySerializer(serializers.ModelSerializer):
    account = serializers.CharField(source="account.code")
    document = serializers.CharField(source="original_name")

    class Meta:
        model = ManualEntry
        fields = [
            "id",
            "account",
            "booked_on",
            "description",
            "currency",
            "amount",
            "exchange_rate",
            "amount_converted",
            "document",
        ]


class FindingSerializer(serializers.ModelSerializer):
    activity = serializers.IntegerField(source="activity_id", allow_null=True)

    class Meta:
        model = Finding
        fields = ["id", "title", "recommendation", "status", "follow_up", "activity"]


class AuditSerializer(serializers.ModelSerializer):
    findings = FindingSerializer(many=True)
    has_report = serializers.SerializerMethodField()

    class Meta:
        model = Audit
        fields = [
            "id",
            "auditor",
            "period_start",
            "period_end",
            "scope",
            "opinion",
            "opinion_text",
            "opinion_on",
            "has_report",
            "findings",
        ]

    def get_has_report(self, audit) -> bool:
        return bool(audit.report)


class TransparencySectionSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    columns = serializers.DictField(child=serializers.CharField(), source="column_labels")
    rows = serializers.ListField(child=serializers.DictField())


class TransparencyPageSerializer(serializers.Serializer):
    network = serializers.CharField()
    year = serializers.IntegerField(allow_null=True)
    introduction = serializers.CharField()
    sections = TransparencySectionSerializer(many=True)
    changes = serializers.ListField(child=serializers.DictField())
